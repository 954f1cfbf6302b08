/*
 * tests/linux/c/inetmapped.c - IPv4-mapped addresses (::ffff:a.b.c.d) on
 * IPv6 sockets, in a network namespace of its own: UDP sends and connects
 * to one from a socket bound to ::1, bound to a mapped address, unbound,
 * or IPV6_V6ONLY (ENETUNREACH where Linux says it), a send to ::1 from a
 * socket bound to a mapped address, TCP connects to one, and the names
 * getsockname, getpeername and recvfrom give on each side; a UDP
 * connect's source address in the name, and what a disconnect
 * (AF_UNSPEC) takes back of it (the address unless bound, the port unless
 * bound to one).
 */
#define _GNU_SOURCE
#include "check.h"
#include "netlo.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

static struct sockaddr_in6 a6(const char *text, int port)
{
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons(port)};
    inet_pton(AF_INET6, text, &a.sin6_addr);
    return a;
}

static struct sockaddr_in a4(const char *text, int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, text, &a.sin_addr);
    return a;
}

/* A name as text, its port masked if it is an ephemeral one. */
static const char *show(const struct sockaddr_storage *ss, socklen_t n)
{
    static char out[128];
    char t[64] = "?";
    int port;
    if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const void *)ss;
        inet_ntop(AF_INET6, &a->sin6_addr, t, sizeof t);
        port = ntohs(a->sin6_port);
    } else if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *a = (const void *)ss;
        inet_ntop(AF_INET, &a->sin_addr, t, sizeof t);
        port = ntohs(a->sin_port);
    } else {
        snprintf(out, sizeof out, "family %d len %u", ss->ss_family, (unsigned)n);
        return out;
    }
    snprintf(out, sizeof out, "family %d %s port %s len %u", ss->ss_family, t,
             port >= 32768 ? "ephemeral" : port ? "fixed" : "0", (unsigned)n);
    return out;
}

static void names(const char *who, int s)
{
    struct sockaddr_storage ss;
    socklen_t n = sizeof ss;
    memset(&ss, 0, sizeof ss);
    if (getsockname(s, (struct sockaddr *)&ss, &n) == 0)
        printf("%s sockname: %s\n", who, show(&ss, n));
    n = sizeof ss;
    memset(&ss, 0, sizeof ss);
    if (getpeername(s, (struct sockaddr *)&ss, &n) == 0)
        printf("%s peername: %s\n", who, show(&ss, n));
    else
        printf("%s peername: %s\n", who, strerror(errno));
}

static int udp6(const char *bind_to, int v6only)
{
    int s = socket(AF_INET6, SOCK_DGRAM, 0);
    if (v6only)
        setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
    if (bind_to) {
        struct sockaddr_in6 a = a6(bind_to, 0);
        if (bind(s, (struct sockaddr *)&a, sizeof a) < 0)
            printf("bind %s: %s\n", bind_to, strerror(errno));
    }
    return s;
}

static void udp(void)
{
    int r4 = socket(AF_INET, SOCK_DGRAM, 0), r6 = socket(AF_INET6, SOCK_DGRAM, 0), one = 1;
    struct sockaddr_in b4 = a4("127.0.0.1", 7000);
    struct sockaddr_in6 b6 = a6("::1", 7001);
    CHECK(bind(r4, (struct sockaddr *)&b4, sizeof b4));
    setsockopt(r6, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    CHECK(bind(r6, (struct sockaddr *)&b6, sizeof b6));
    struct sockaddr_in6 m = a6("::ffff:127.0.0.1", 7000), l6 = a6("::1", 7001);
    struct sockaddr_in6 m_other = a6("::ffff:10.1.2.3", 7000);

    int s = udp6("::1", 0);
    CHECK(sendto(s, "a", 1, 0, (struct sockaddr *)&m, sizeof m));
    CHECK(connect(s, (struct sockaddr *)&m, sizeof m));
    CHECK(sendto(s, "b", 1, 0, (struct sockaddr *)&l6, sizeof l6));
    names("udp ::1", s);
    close(s);

    s = udp6(NULL, 1);
    CHECK(sendto(s, "c", 1, 0, (struct sockaddr *)&m, sizeof m));
    CHECK(connect(s, (struct sockaddr *)&m, sizeof m));
    close(s);

    s = udp6("::ffff:127.0.0.1", 0);
    CHECK(sendto(s, "d", 1, 0, (struct sockaddr *)&l6, sizeof l6));
    CHECK(connect(s, (struct sockaddr *)&l6, sizeof l6));
    CHECK(sendto(s, "e", 1, 0, (struct sockaddr *)&m, sizeof m));
    names("udp mapped", s);
    close(s);

    s = udp6(NULL, 0);
    CHECK(sendto(s, "f", 1, 0, (struct sockaddr *)&m_other, sizeof m_other));
    CHECK(sendto(s, "g", 1, 0, (struct sockaddr *)&m, sizeof m));
    names("udp unbound after a mapped send", s);
    CHECK(sendto(s, "h", 1, 0, (struct sockaddr *)&l6, sizeof l6));
    CHECK(connect(s, (struct sockaddr *)&m, sizeof m));
    names("udp connected mapped", s);
    int v = -1;
    socklen_t vl = sizeof v;
    CHECK(setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one));
    CHECK(getsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v, &vl));
    printf("v6only %d\n", v);
    close(s);

    char buf[8];
    struct sockaddr_storage from;
    for (int i = 0; i < 4; i++) {
        socklen_t fl = sizeof from;
        long n = recvfrom(r4, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
        if (n < 0)
            break;
        printf("v4 receiver got %.*s from %s\n", (int)n, buf, show(&from, fl));
    }
    for (int i = 0; i < 4; i++) {
        socklen_t fl = sizeof from;
        long n = recvfrom(r6, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
        if (n < 0)
            break;
        printf("v6 receiver got %.*s from %s\n", (int)n, buf, show(&from, fl));
    }
    close(r4), close(r6);
}

static void tcp(void)
{
    int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in b4 = a4("127.0.0.1", 7100);
    CHECK(bind(l, (struct sockaddr *)&b4, sizeof b4));
    CHECK(listen(l, 4));
    struct sockaddr_in6 m = a6("::ffff:127.0.0.1", 7100);

    int c = socket(AF_INET6, SOCK_STREAM, 0);
    CHECK(connect(c, (struct sockaddr *)&m, sizeof m));
    names("tcp client", c);
    int a = accept(l, NULL, NULL);
    names("tcp accepted", a);
    close(a), close(c);

    c = socket(AF_INET6, SOCK_STREAM, 0);
    setsockopt(c, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    CHECK(connect(c, (struct sockaddr *)&m, sizeof m));
    close(c);

    c = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 l6 = a6("::1", 0);
    CHECK(bind(c, (struct sockaddr *)&l6, sizeof l6));
    CHECK(connect(c, (struct sockaddr *)&m, sizeof m));
    close(c);

    c = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 bm = a6("::ffff:127.0.0.1", 0);
    CHECK(bind(c, (struct sockaddr *)&bm, sizeof bm));
    struct sockaddr_in6 d6 = a6("::1", 7100);
    CHECK(connect(c, (struct sockaddr *)&d6, sizeof d6));
    close(c);
    close(l);

    /* a v6 listener on :: takes an IPv4 client: the names both ways */
    l = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 any = a6("::", 7101);
    CHECK(bind(l, (struct sockaddr *)&any, sizeof any));
    CHECK(listen(l, 4));
    c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in d4 = a4("127.0.0.1", 7101);
    CHECK(connect(c, (struct sockaddr *)&d4, sizeof d4));
    a = accept(l, NULL, NULL);
    names("v4 client", c);
    names("v6 listener's accepted", a);
    close(a), close(c), close(l);
}

static void udp_connect_names(void)
{
    struct sockaddr u = {AF_UNSPEC};
    struct sockaddr_in d4 = a4("127.0.0.1", 9);
    struct sockaddr_in6 d6 = a6("::1", 9), bound = a6("::", 7200), bm = a6("::ffff:127.0.0.1", 0), any = a6("::", 9);
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(connect(s, (struct sockaddr *)&d4, sizeof d4));
    names("udp4 connected", s);
    CHECK(connect(s, &u, sizeof u));
    names("udp4 disconnected", s);
    close(s);
    s = socket(AF_INET6, SOCK_DGRAM, 0);
    CHECK(connect(s, (struct sockaddr *)&d6, sizeof d6));
    names("udp6 connected", s);
    CHECK(connect(s, &u, sizeof u));
    names("udp6 disconnected", s);
    close(s);
    s = socket(AF_INET6, SOCK_DGRAM, 0);
    CHECK(bind(s, (struct sockaddr *)&bound, sizeof bound));
    CHECK(connect(s, (struct sockaddr *)&d6, sizeof d6));
    names("udp6 bound to a port, connected", s);
    CHECK(connect(s, &u, sizeof u));
    names("udp6 bound to a port, disconnected", s);
    close(s);
    s = socket(AF_INET6, SOCK_DGRAM, 0);
    CHECK(bind(s, (struct sockaddr *)&bm, sizeof bm));
    CHECK(connect(s, (struct sockaddr *)&any, sizeof any));
    names("udp6 bound mapped, connected to ::", s);
    CHECK(sendto(s, "x", 1, 0, (struct sockaddr *)&any, sizeof any));
    close(s);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (own_lo() < 0)
        return 1;
    udp();
    udp_connect_names();
    tcp();
    return 0;
}
