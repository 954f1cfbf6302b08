/*
 * tests/linux/c/socktest.h - connected socket pairs for the splice and
 * sendfile tests: AF_UNIX stream, TCP and UDP over the loopback, and a
 * nonblocking drain that prints what came or counts it.
 */
#ifndef TESTS_LINUX_SOCKTEST_H
#define TESTS_LINUX_SOCKTEST_H
#include "check.h"
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

/* kind: 0 AF_UNIX stream, 1 TCP, 2 UDP; sv[0] sends to sv[1]; -1 on failure. */
static int sock_pair(int kind, int sv[2])
{
    if (kind == 0)
        return socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int type = kind == 1 ? SOCK_STREAM : SOCK_DGRAM, l = socket(AF_INET, type, 0);
    if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) < 0 || getsockname(l, (struct sockaddr *)&a, &len) < 0)
        return -1;
    if (kind == 1 && listen(l, 1) < 0)
        return -1;
    sv[0] = socket(AF_INET, type, 0);
    if (connect(sv[0], (struct sockaddr *)&a, sizeof a) < 0)
        return -1;
    if (kind == 2) {
        sv[1] = l;
        return getsockname(sv[0], (struct sockaddr *)&a, &len) < 0 || connect(l, (struct sockaddr *)&a, len) < 0 ? -1 : 0;
    }
    sv[1] = accept(l, NULL, NULL);
    close(l);
    return sv[1] < 0 ? -1 : 0;
}

/* One nonblocking read of fd, printed. */
static void sock_drain(int fd, const char *what)
{
    char b[256];
    ssize_t n = recv(fd, b, sizeof b, MSG_DONTWAIT);
    printf("%s: %zd \"%.*s\"\n", what, n, (int)(n > 0 ? n : 0), b);
}

/* All fd holds now, counted. */
static long sock_count(int fd)
{
    static char b[65536];
    long t = 0;
    for (ssize_t n; (n = recv(fd, b, sizeof b, MSG_DONTWAIT)) > 0;)
        t += n;
    return t;
}

/* Fills fd's way to its peer with nonblocking writes. */
static void sock_fill(int fd)
{
    static char b[4096];
    int fl = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    while (write(fd, b, sizeof b) > 0)
        ;
    while (write(fd, b, 1) > 0)
        ;
    fcntl(fd, F_SETFL, fl);
}
#endif
