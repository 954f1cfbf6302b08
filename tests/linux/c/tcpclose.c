/*
 * tests/linux/c/tcpclose.c - the end of a TCP connection over lo, in a
 * network namespace of its own: TCP_INFO's state on each side after
 * shutdown and close, the lines /proc/net/tcp and tcp6 show (FIN_WAIT2,
 * CLOSE_WAIT, TIME_WAIT and an orphan in FIN_WAIT2), a bind of a port
 * held by TIME_WAIT or an orphan (EADDRINUSE, or not with SO_REUSEADDR
 * on both), an orphan's end by TCP_LINGER2's timeout or by data reaching
 * it, and SO_LINGER of no time leaving nothing; the namespace's
 * tcp_fin_timeout ending an orphan, and tcp_max_tw_buckets (0: no
 * TIME_WAIT at all).
 */
#define _GNU_SOURCE
#include "check.h"
#include "netlo.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#define LPORT 5555

static int six;

static socklen_t addr(struct sockaddr_storage *ss, int port, int last)
{
    memset(ss, 0, sizeof *ss);
    if (six) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6, a->sin6_port = htons(port);
        a->sin6_addr.s6_addr[15] = (unsigned char)last;
        return sizeof *a;
    }
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    a->sin_family = AF_INET, a->sin_port = htons(port);
    a->sin_addr.s_addr = htonl(0x7f000000u | (unsigned)last);
    return sizeof *a;
}

static int sock_reuse(int reuse)
{
    int s = socket(six ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
    if (reuse)
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof reuse);
    return s;
}

/* A bind of port (address 127.0.0.1 or ::1, or the wildcard if last is 0)
 * by a new socket, SO_REUSEADDR or not: 0 or -1 with errno. */
static int try_bind(int port, int last, int reuse)
{
    int s = sock_reuse(reuse);
    struct sockaddr_storage ss;
    socklen_t n = addr(&ss, port, last);
    int r = bind(s, (struct sockaddr *)&ss, n);
    int e = errno;
    close(s);
    errno = e;
    return r;
}

static int state(int s)
{
    struct tcp_info t;
    socklen_t n = sizeof t;
    if (getsockopt(s, IPPROTO_TCP, TCP_INFO, &t, &n) < 0)
        return -1;
    return t.tcpi_state;
}

/* The listener, and a connection to it from port cport (bound, SO_REUSEADDR
 * as said): its two ends in c and a. */
static int listener(int reuse)
{
    int l = sock_reuse(reuse);
    struct sockaddr_storage ss;
    socklen_t n = addr(&ss, LPORT, 1);
    if (bind(l, (struct sockaddr *)&ss, n) < 0 || listen(l, 8) < 0)
        printf("listener: %s\n", strerror(errno));
    return l;
}

static void connection(int l, int cport, int reuse, int *c, int *a)
{
    struct sockaddr_storage ss;
    *c = sock_reuse(reuse);
    socklen_t n = addr(&ss, cport, 1);
    if (bind(*c, (struct sockaddr *)&ss, n) < 0)
        printf("bind %d: %s\n", cport, strerror(errno));
    n = addr(&ss, LPORT, 1);
    if (connect(*c, (struct sockaddr *)&ss, n) < 0)
        printf("connect: %s\n", strerror(errno));
    *a = accept(l, NULL, NULL);
}

static int cmp(const void *x, const void *y) { return strcmp(*(char *const *)x, *(char *const *)y); }

/* /proc/net/tcp's (or tcp6's) connections: each line's addresses, state
 * and timer kind, sorted (Linux's order is its hash's). */
static void table(const char *why)
{
    static char buf[65536];
    char *lines[64];
    int n = 0;
    read_text(six ? "/proc/net/tcp6" : "/proc/net/tcp", buf, sizeof buf);
    for (char *p = strchr(buf, '\n'); p && p[1] && n < 64; p = strchr(p + 1, '\n')) {
        char local[64], remote[64], st[8], tm[32];
        if (sscanf(p + 1, "%*s %63s %63s %7s %*s %31s", local, remote, st, tm) != 4 || strcmp(st, "0A") == 0)
            continue;
        lines[n] = malloc(200);
        snprintf(lines[n], 200, "  %s %s %s timer %.2s", local, remote, st, tm);
        n++;
    }
    qsort(lines, (size_t)n, sizeof *lines, cmp);
    printf("%s:\n", why);
    for (int i = 0; i < n; i++)
        printf("%s\n", lines[i]), free(lines[i]);
}

static void run(void)
{
    int l = listener(1), c, a;
    printf("-- %s --\n", six ? "IPv6" : "IPv4");

    /* this end's FIN first, then the peer's: TIME_WAIT */
    connection(l, 6000, 0, &c, &a);
    CHECK(state(c));
    CHECK(shutdown(c, SHUT_WR));
    CHECK(state(c)); /* FIN_WAIT1 until the peer's delayed ACK (its pingpong mode after a FIN) */
    CHECK(state(a));
    usleep(200000);
    CHECK(state(c));
    table("after shutdown");
    CHECK(close(a));
    CHECK(state(c));
    table("after the peer's close");
    CHECK(close(c));
    table("after close");
    CHECK(try_bind(6000, 1, 0));
    CHECK(try_bind(6000, 1, 1));
    CHECK(try_bind(6000, 2, 0));

    /* closed before the peer's FIN: an orphan in FIN_WAIT2, then TIME_WAIT */
    connection(l, 6001, 1, &c, &a);
    CHECK(close(c));
    CHECK(state(a));
    usleep(200000);
    table("orphan");
    CHECK(try_bind(6001, 1, 0));
    CHECK(try_bind(6001, 1, 1));
    CHECK(close(a));
    table("orphan, then the peer's close");
    CHECK(try_bind(6001, 1, 0));
    CHECK(try_bind(6001, 1, 1));

    /* an orphan whose TCP_LINGER2 runs out */
    connection(l, 6002, 0, &c, &a);
    int one = 1;
    CHECK(setsockopt(c, IPPROTO_TCP, TCP_LINGER2, &one, sizeof one));
    CHECK(close(c));
    CHECK(try_bind(6002, 1, 0));
    usleep(1600000);
    table("orphan after TCP_LINGER2");
    CHECK(try_bind(6002, 1, 0));
    CHECK(close(a));

    /* data reaching an orphan: its reset, and it is gone */
    connection(l, 6003, 0, &c, &a);
    CHECK(close(c));
    CHECK(write(a, "x", 1));
    usleep(100000);
    CHECK(state(a));
    table("orphan reset");
    CHECK(try_bind(6003, 1, 0));
    CHECK(close(a));

    /* SO_LINGER of no time: a reset, no TIME_WAIT */
    connection(l, 6004, 0, &c, &a);
    struct linger lg = {1, 0};
    CHECK(setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    CHECK(close(c));
    char b;
    CHECK(read(a, &b, 1));
    CHECK(try_bind(6004, 1, 0));
    CHECK(close(a));

    /* the server's end first: its listener's port stays held by TIME_WAIT */
    connection(l, 6005, 0, &c, &a);
    CHECK(close(a));
    usleep(200000);
    CHECK(close(c));
    CHECK(close(l));
    table("server's close first");
    CHECK(try_bind(LPORT, 1, 0));
    CHECK(try_bind(LPORT, 1, 1));
}

static void set(const char *file, const char *v)
{
    char path[96];
    snprintf(path, sizeof path, "/proc/sys/net/ipv4/%s", file);
    int fd = open(path, O_WRONLY);
    CHECK(write(fd, v, strlen(v)));
    close(fd);
    char back[32] = "";
    read_text(path, back, sizeof back);
    printf("%s: %s", file, back);
}

static void limits(void)
{
    int l = listener(1), c, a;
    printf("-- the namespace's settings --\n");
    set("tcp_fin_timeout", "1");
    connection(l, 6006, 0, &c, &a);
    CHECK(close(c));
    usleep(1600000);
    table("orphan after tcp_fin_timeout");
    CHECK(try_bind(6006, 1, 0));
    CHECK(close(a));
    set("tcp_fin_timeout", "60");
    const char *caps[] = {"0", "100"};
    for (int i = 0; i < 2; i++) { /* a connection closed this end first under each limit */
        set("tcp_max_tw_buckets", caps[i]);
        connection(l, 6007 + i, 0, &c, &a);
        CHECK(close(c));
        CHECK(close(a));
        table(i ? "timewait sockets again" : "no timewait sockets");
        CHECK(try_bind(6007 + i, 1, 0));
    }
    close(l);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (own_lo() < 0)
        return 1;
    run();
    six = 1;
    run();
    six = 0;
    limits();
    return 0;
}
