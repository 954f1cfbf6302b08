/*
 * tests/linux/c/sockopts2.c - the socket details programs lean on: TCP's
 * own options (TCP_NODELAY, TCP_CORK, TCP_QUICKACK, TCP_USER_TIMEOUT,
 * TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, TCP_SYNCNT, TCP_LINGER2,
 * TCP_DEFER_ACCEPT, TCP_MAXSEG, TCP_NOTSENT_LOWAT, TCP_INQ, TCP_CONGESTION)
 * set, read back and their ranges; TCP_INFO's state; SO_LINGER's round
 * trip; SO_RCVLOWAT set and honoured by recv and poll on TCP, and by recv
 * on an AF_UNIX stream; SO_SNDLOWAT's refusal; SIOCINQ, SIOCOUTQ and
 * SIOCOUTQNSD; MSG_TRUNC on a TCP receive (the bytes dropped), MSG_PEEK
 * with it, MSG_ERRQUEUE's EAGAIN.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#ifndef SIOCINQ
#define SIOCINQ FIONREAD
#endif
#ifndef SIOCOUTQ
#define SIOCOUTQ TIOCOUTQ
#endif
#ifndef SIOCOUTQNSD
#define SIOCOUTQNSD 0x894B
#endif

#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int getint(int fd, int level, int name)
{
    int v = -7;
    socklen_t len = sizeof v;
    if (getsockopt(fd, level, name, &v, &len) < 0)
        return -1;
    return len == sizeof v ? v : -100 - (int)len;
}

static int setint(int fd, int level, int name, int v)
{
    return setsockopt(fd, level, name, &v, sizeof v);
}

static int ioc(int fd, unsigned long req)
{
    int v = -7;
    return ioctl(fd, req, &v) < 0 ? -1 : v;
}

/* A connected TCP pair over 127.0.0.1: *a the client's end, *b the accepted one. */
static void tcp_pair(int *a, int *b)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    int l = socket(AF_INET, SOCK_STREAM, 0);
    bind(l, (struct sockaddr *)&sa, sizeof sa);
    listen(l, 1);
    getsockname(l, (struct sockaddr *)&sa, &len);
    *a = socket(AF_INET, SOCK_STREAM, 0);
    connect(*a, (struct sockaddr *)&sa, sizeof sa);
    *b = accept(l, NULL, NULL);
    close(l);
    setint(*a, IPPROTO_TCP, TCP_NODELAY, 1); /* no write held back for an ACK the reader delays */
}

static void tcp_options(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    static const struct { int name; const char *text; } opts[] = {
        {TCP_NODELAY, "TCP_NODELAY"}, {TCP_CORK, "TCP_CORK"}, {TCP_QUICKACK, "TCP_QUICKACK"},
        {TCP_USER_TIMEOUT, "TCP_USER_TIMEOUT"}, {TCP_KEEPIDLE, "TCP_KEEPIDLE"}, {TCP_KEEPINTVL, "TCP_KEEPINTVL"},
        {TCP_KEEPCNT, "TCP_KEEPCNT"}, {TCP_SYNCNT, "TCP_SYNCNT"}, {TCP_LINGER2, "TCP_LINGER2"},
        {TCP_DEFER_ACCEPT, "TCP_DEFER_ACCEPT"}, {TCP_MAXSEG, "TCP_MAXSEG"}, {TCP_NOTSENT_LOWAT, "TCP_NOTSENT_LOWAT"},
        {TCP_INQ, "TCP_INQ"}, {TCP_THIN_LINEAR_TIMEOUTS, "TCP_THIN_LINEAR_TIMEOUTS"},
        {TCP_WINDOW_CLAMP, "TCP_WINDOW_CLAMP"}, {TCP_FASTOPEN_CONNECT, "TCP_FASTOPEN_CONNECT"},
    };
    for (unsigned i = 0; i < sizeof opts / sizeof *opts; i++)
        printf("default %s = %d\n", opts[i].text, getint(s, IPPROTO_TCP, opts[i].name));
    static const struct { int name, v; } sets[] = {
        {TCP_NODELAY, 1}, {TCP_NODELAY, 0}, {TCP_CORK, 1}, {TCP_CORK, 5}, {TCP_CORK, 0}, {TCP_QUICKACK, 0},
        {TCP_QUICKACK, 1}, {TCP_USER_TIMEOUT, 30000}, {TCP_USER_TIMEOUT, -1}, {TCP_USER_TIMEOUT, 0},
        {TCP_KEEPIDLE, 60}, {TCP_KEEPIDLE, 0}, {TCP_KEEPIDLE, 32767}, {TCP_KEEPIDLE, 32768},
        {TCP_KEEPINTVL, 10}, {TCP_KEEPINTVL, 0}, {TCP_KEEPINTVL, 32768}, {TCP_KEEPCNT, 3}, {TCP_KEEPCNT, 0},
        {TCP_KEEPCNT, 127}, {TCP_KEEPCNT, 128}, {TCP_SYNCNT, 3}, {TCP_SYNCNT, 0}, {TCP_SYNCNT, 128},
        {TCP_LINGER2, 30}, {TCP_LINGER2, -5}, {TCP_LINGER2, 0}, {TCP_LINGER2, 500}, {TCP_DEFER_ACCEPT, 10},
        {TCP_DEFER_ACCEPT, 1}, {TCP_DEFER_ACCEPT, 0}, {TCP_DEFER_ACCEPT, -3}, {TCP_DEFER_ACCEPT, 1000},
        {TCP_MAXSEG, 1000}, {TCP_MAXSEG, 87}, {TCP_MAXSEG, 40000}, {TCP_MAXSEG, 0}, {TCP_NOTSENT_LOWAT, 4096},
        {TCP_INQ, 1}, {TCP_INQ, 2}, {TCP_INQ, 0}, {TCP_THIN_LINEAR_TIMEOUTS, 1}, {TCP_THIN_LINEAR_TIMEOUTS, 2},
        {TCP_WINDOW_CLAMP, 100}, {TCP_WINDOW_CLAMP, 40000}, {TCP_WINDOW_CLAMP, 0}, {TCP_FASTOPEN_CONNECT, 1},
        {TCP_FASTOPEN_CONNECT, 2}, {99, 1},
    };
    for (unsigned i = 0; i < sizeof sets / sizeof *sets; i++) {
        int r = setint(s, IPPROTO_TCP, sets[i].name, sets[i].v), e = errno;
        printf("set %d to %d: %d %s, reads %d\n", sets[i].name, sets[i].v, r, r < 0 ? errno_name(e) : "",
               getint(s, IPPROTO_TCP, sets[i].name));
    }
    char cc[20] = "";
    socklen_t len = sizeof cc;
    CHECK(getsockopt(s, IPPROTO_TCP, TCP_CONGESTION, cc, &len));
    printf("congestion named %d len %u\n", cc[0] != 0, (unsigned)len); /* 6.1's cubic, or what the host chose */
    CHECK(setsockopt(s, IPPROTO_TCP, TCP_CONGESTION, "reno", 4));
    len = sizeof cc;
    CHECK(getsockopt(s, IPPROTO_TCP, TCP_CONGESTION, cc, &len));
    printf("congestion %s len %u\n", cc, (unsigned)len);
    CHECK(setsockopt(s, IPPROTO_TCP, TCP_CONGESTION, "nosuch", 6));
    CHECK(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, "x", 1));
    len = 2;
    int v = 0;
    CHECK(getsockopt(s, IPPROTO_TCP, TCP_KEEPCNT, &v, &len));
    printf("short read: len %u\n", (unsigned)len);
    len = (socklen_t)-1;
    CHECK(getsockopt(s, IPPROTO_TCP, TCP_KEEPCNT, &v, &len));
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(setint(u, IPPROTO_TCP, TCP_NODELAY, 1));
    CHECK(getint(u, IPPROTO_TCP, TCP_NODELAY));
    close(u);
    close(s);
}

static void tcp_info_state(void)
{
    struct tcp_info ti;
    socklen_t len;
    int s = socket(AF_INET, SOCK_STREAM, 0), a, b;
    len = 104;
    CHECK(getsockopt(s, IPPROTO_TCP, TCP_INFO, &ti, &len));
    printf("unconnected: len %u state %d\n", (unsigned)len, ti.tcpi_state);
    listen(s, 1);
    len = 104;
    CHECK(getsockopt(s, IPPROTO_TCP, TCP_INFO, &ti, &len));
    printf("listening: len %u state %d\n", (unsigned)len, ti.tcpi_state);
    close(s);
    tcp_pair(&a, &b);
    write(a, "hello", 5);
    char buf[8];
    read(b, buf, sizeof buf);
    len = 104;
    memset(&ti, 0, sizeof ti);
    CHECK(getsockopt(a, IPPROTO_TCP, TCP_INFO, &ti, &len));
    printf("connected: len %u state %d rtt plausible %d mss plausible %d\n", (unsigned)len, ti.tcpi_state,
           ti.tcpi_rtt > 0 && ti.tcpi_rtt < 1000000, ti.tcpi_snd_mss > 500 && ti.tcpi_snd_mss <= 65536);
    len = 4;
    CHECK(getsockopt(a, IPPROTO_TCP, TCP_INFO, &ti, &len));
    printf("short: len %u state %d\n", (unsigned)len, ti.tcpi_state);
    shutdown(a, SHUT_WR);
    usleep(20000);
    len = 104;
    CHECK(getsockopt(a, IPPROTO_TCP, TCP_INFO, &ti, &len));
    printf("after shutdown: FIN_WAIT1 or 2 %d\n", ti.tcpi_state == 4 || ti.tcpi_state == 5);
    CHECK(getsockopt(b, IPPROTO_TCP, TCP_INFO, &ti, &len));
    printf("peer: state %d\n", ti.tcpi_state);
    close(a), close(b);
}

static void linger(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct linger l = {1, 5}, g;
    socklen_t len = sizeof g;
    CHECK(getsockopt(s, SOL_SOCKET, SO_LINGER, &g, &len));
    printf("linger %d %d len %u\n", g.l_onoff, g.l_linger, (unsigned)len);
    CHECK(setsockopt(s, SOL_SOCKET, SO_LINGER, &l, sizeof l));
    CHECK(getsockopt(s, SOL_SOCKET, SO_LINGER, &g, &len));
    printf("linger %d %d\n", g.l_onoff, g.l_linger);
    l = (struct linger){0, 9};
    CHECK(setsockopt(s, SOL_SOCKET, SO_LINGER, &l, sizeof l));
    CHECK(getsockopt(s, SOL_SOCKET, SO_LINGER, &g, &len));
    printf("linger %d %d\n", g.l_onoff, g.l_linger);
    l = (struct linger){7, 0};
    CHECK(setsockopt(s, SOL_SOCKET, SO_LINGER, &l, sizeof l));
    CHECK(getsockopt(s, SOL_SOCKET, SO_LINGER, &g, &len));
    printf("linger %d %d\n", g.l_onoff, g.l_linger);
    CHECK(setsockopt(s, SOL_SOCKET, SO_LINGER, &l, 4));
    close(s);
}

static void lowat(void)
{
    int a, b, u[2], s = socket(AF_INET, SOCK_STREAM, 0);
    char buf[64];
    CHECK(getint(s, SOL_SOCKET, SO_RCVLOWAT));
    CHECK(getint(s, SOL_SOCKET, SO_SNDLOWAT));
    CHECK(setint(s, SOL_SOCKET, SO_SNDLOWAT, 10));
    CHECK(setint(s, SOL_SOCKET, SO_RCVLOWAT, 10));
    CHECK(getint(s, SOL_SOCKET, SO_RCVLOWAT));
    CHECK(setint(s, SOL_SOCKET, SO_RCVLOWAT, 0));
    CHECK(getint(s, SOL_SOCKET, SO_RCVLOWAT));
    close(s);
    tcp_pair(&a, &b);
    CHECK(setint(b, SOL_SOCKET, SO_RCVLOWAT, 5));
    CHECK(write(a, "abc", 3));
    usleep(20000);
    struct pollfd p = {b, POLLIN, 0};
    CHECK(poll(&p, 1, 0));
    printf("revents %#x\n", p.revents);
    CHECK(ioc(b, SIOCINQ));
    CHECK(recv(b, buf, sizeof buf, MSG_DONTWAIT));
    CHECK(write(a, "defg", 4));
    usleep(20000);
    CHECK(poll(&p, 1, 0));
    CHECK(write(a, "hij", 3));
    usleep(20000);
    CHECK(poll(&p, 1, 0));
    printf("revents %#x\n", p.revents);
    CHECK(recv(b, buf, 2, 0));
    /* a blocking receive with enough there takes it all */
    CHECK(recv(b, buf, sizeof buf, 0));
    /* the end of the stream ends the wait */
    CHECK(write(a, "7", 1));
    shutdown(a, SHUT_WR);
    CHECK(recv(b, buf, sizeof buf, 0));
    CHECK(recv(b, buf, sizeof buf, 0));
    close(a), close(b);
    socketpair(AF_UNIX, SOCK_STREAM, 0, u);
    CHECK(getint(u[0], SOL_SOCKET, SO_RCVLOWAT));
    CHECK(setint(u[0], SOL_SOCKET, SO_RCVLOWAT, 4));
    CHECK(write(u[1], "ab", 2));
    p.fd = u[0];
    CHECK(poll(&p, 1, 0)); /* AF_UNIX's poll does not look at it */
    CHECK(recv(u[0], buf, sizeof buf, MSG_DONTWAIT));
    CHECK(write(u[1], "cd", 2));
    pid_t child = fork();
    if (child == 0) {
        usleep(100000);
        write(u[1], "efg", 3);
        _exit(0);
    }
    CHECK(recv(u[0], buf, sizeof buf, 0));
    waitpid(child, NULL, 0);
    CHECK(setint(u[0], SOL_SOCKET, SO_RCVLOWAT, -1));
    CHECK(getint(u[0], SOL_SOCKET, SO_RCVLOWAT));
    close(u[0]), close(u[1]);
}

static void queues(void)
{
    int a, b, u[2];
    char buf[64];
    tcp_pair(&a, &b);
    CHECK(ioc(a, SIOCINQ));
    CHECK(ioc(a, SIOCOUTQ));
    CHECK(ioc(a, SIOCOUTQNSD));
    CHECK(write(a, "0123456789", 10));
    usleep(50000);
    CHECK(ioc(b, SIOCINQ));
    CHECK(ioc(a, SIOCOUTQ));
    CHECK(ioc(a, SIOCOUTQNSD));
    /* MSG_TRUNC drops the bytes; with MSG_PEEK it only counts them */
    CHECK(recv(b, NULL, 3, MSG_TRUNC | MSG_PEEK));
    CHECK(ioc(b, SIOCINQ));
    CHECK(recv(b, NULL, 3, MSG_TRUNC));
    CHECK(ioc(b, SIOCINQ));
    memset(buf, 0, sizeof buf);
    CHECK(recv(b, buf, 4, 0));
    printf("got %s\n", buf);
    CHECK(recv(b, buf, 10, MSG_TRUNC | MSG_DONTWAIT));
    CHECK(recv(b, buf, 10, MSG_TRUNC | MSG_DONTWAIT));
    CHECK(recv(b, buf, 10, MSG_ERRQUEUE));
    CHECK(recv(b, buf, 10, MSG_WAITALL | MSG_DONTWAIT));
    int l = socket(AF_INET, SOCK_STREAM, 0);
    listen(l, 1);
    CHECK(ioc(l, SIOCINQ));
    CHECK(ioc(l, SIOCOUTQ));
    CHECK(ioc(l, SIOCOUTQNSD));
    close(l), close(a), close(b);
    int d = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(ioc(d, SIOCOUTQ));
    CHECK(ioc(d, SIOCOUTQNSD));
    CHECK(recv(d, buf, 10, MSG_ERRQUEUE));
    close(d);
    socketpair(AF_UNIX, SOCK_STREAM, 0, u);
    CHECK(write(u[0], "abcde", 5));
    CHECK(ioc(u[1], SIOCINQ));
    CHECK(ioc(u[0], SIOCOUTQ) > 0);
    CHECK(ioc(u[1], SIOCOUTQ));
    CHECK(ioc(u[0], SIOCOUTQNSD));
    CHECK(read(u[1], buf, sizeof buf));
    CHECK(ioc(u[0], SIOCOUTQ));
    close(u[0]), close(u[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    tcp_options();
    tcp_info_state();
    linger();
    lowat();
    queues();
    return 0;
}
