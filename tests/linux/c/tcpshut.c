/*
 * tests/linux/c/tcpshut.c - a TCP connection's half-closes and resets
 * over lo, in a network namespace of its own: poll's bits on both ends
 * after SHUT_WR, SHUT_RD, both, and the peer's close; reads and writes
 * after them; a write to a peer that closed with data unread (its reset:
 * ECONNRESET, then EPIPE), SO_ERROR after a reset, reads after one; and
 * accept4's flags.
 */
#define _GNU_SOURCE
#include "check.h"
#include "netlo.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static int l;

static void bits(const char *who, int s)
{
    struct pollfd p = {s, POLLIN | POLLOUT | POLLPRI | POLLRDHUP, 0};
    poll(&p, 1, 0);
    printf("%s:%s%s%s%s%s%s\n", who, p.revents & POLLIN ? " IN" : "", p.revents & POLLOUT ? " OUT" : "",
           p.revents & POLLRDHUP ? " RDHUP" : "", p.revents & POLLHUP ? " HUP" : "",
           p.revents & POLLERR ? " ERR" : "", p.revents & POLLPRI ? " PRI" : "");
}

static int soerr(int s)
{
    int e = -1;
    socklen_t n = sizeof e;
    getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &n);
    return e;
}

static void pair(int *c, int *a)
{
    struct sockaddr_in d = {.sin_family = AF_INET, .sin_port = htons(7300), .sin_addr.s_addr = htonl(0x7f000001)};
    *c = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(*c, (struct sockaddr *)&d, sizeof d) < 0)
        printf("connect: %s\n", strerror(errno));
    *a = accept(l, NULL, NULL);
}

/* A connection whose accepted end closed with data unread: its reset. */
static void reset_pair(int *c)
{
    int a;
    pair(c, &a);
    CHECK(write(*c, "data", 4));
    usleep(50000);
    CHECK(close(a));
    usleep(100000);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, SIG_IGN);
    if (own_lo() < 0)
        return 1;
    l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in b = {.sin_family = AF_INET, .sin_port = htons(7300), .sin_addr.s_addr = htonl(0x7f000001)};
    CHECK(bind(l, (struct sockaddr *)&b, sizeof b));
    CHECK(listen(l, 8));
    int c, a;
    char buf[16];

    puts("-- SHUT_WR");
    pair(&c, &a);
    CHECK(shutdown(c, SHUT_WR));
    usleep(100000);
    bits("c", c), bits("a", a);
    CHECK(write(c, "x", 1));
    CHECK(read(a, buf, sizeof buf));
    CHECK(write(a, "y", 1));
    usleep(50000);
    CHECK(read(c, buf, sizeof buf));
    CHECK(shutdown(a, SHUT_WR));
    usleep(100000);
    bits("c", c), bits("a", a);
    CHECK(read(c, buf, sizeof buf));
    CHECK(write(a, "z", 1));
    close(c), close(a);

    puts("-- SHUT_RD");
    pair(&c, &a);
    CHECK(shutdown(c, SHUT_RD));
    usleep(50000);
    bits("c", c), bits("a", a);
    CHECK(read(c, buf, sizeof buf));
    CHECK(write(a, "x", 1));
    usleep(50000);
    bits("c", c);
    CHECK(read(c, buf, sizeof buf));
    CHECK(shutdown(c, SHUT_WR));
    usleep(100000);
    bits("c", c), bits("a", a);
    close(c), close(a);

    puts("-- SHUT_RDWR");
    pair(&c, &a);
    CHECK(shutdown(c, SHUT_RDWR));
    usleep(100000);
    bits("c", c), bits("a", a);
    CHECK(shutdown(c, SHUT_RDWR));
    close(c), close(a);

    puts("-- the peer closes");
    pair(&c, &a);
    CHECK(close(a));
    usleep(100000);
    bits("c", c);
    CHECK(read(c, buf, sizeof buf));
    CHECK(write(c, "x", 1));
    usleep(100000);
    bits("c", c);
    CHECK(soerr(c));
    CHECK(write(c, "x", 1));
    CHECK(read(c, buf, sizeof buf));
    close(c);

    puts("-- the peer closes with data unread: its reset");
    reset_pair(&c);
    bits("c", c);
    CHECK(soerr(c));
    CHECK(soerr(c));
    CHECK(write(c, "x", 1));
    CHECK(write(c, "x", 1));
    CHECK(read(c, buf, sizeof buf));
    close(c);

    reset_pair(&c);
    CHECK(write(c, "x", 1));
    CHECK(write(c, "x", 1));
    CHECK(read(c, buf, sizeof buf));
    CHECK(soerr(c));
    close(c);

    reset_pair(&c);
    CHECK(read(c, buf, sizeof buf));
    CHECK(read(c, buf, sizeof buf));
    CHECK(write(c, "x", 1));
    close(c);

    puts("-- accept4");
    c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in d = b;
    CHECK(connect(c, (struct sockaddr *)&d, sizeof d));
    CHECK(syscall(SYS_accept4, l, NULL, NULL, 1));
    CHECK(syscall(SYS_accept4, l, NULL, NULL, O_NONBLOCK | O_DIRECT));
    a = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    CHECK(a >= 0);
    CHECK(fcntl(a, F_GETFL) & O_NONBLOCK);
    CHECK(fcntl(a, F_GETFD));
    CHECK(read(a, buf, 1));
    close(a), close(c);
    CHECK(fcntl(l, F_SETFL, O_NONBLOCK));
    CHECK(accept4(l, NULL, NULL, 0));
    close(l);
    return 0;
}
