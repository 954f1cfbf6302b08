/*
 * tests/linux/c/peekoff.c - SO_PEEK_OFF: the offset MSG_PEEK reads from
 * and moves on, which a read moves back.  AF_UNIX streams (a peek goes on
 * across writes; a read takes the offset back by what it took), datagram
 * and seqpacket sockets (a peek goes past whole messages, then into one;
 * a read takes back the whole message), UDP (udp_recvmsg's: MSG_TRUNC's
 * count against the whole datagram); -1 (and any negative value) is off;
 * the errors of the sockets without it (raw-less here: netlink, and a
 * listening AF_UNIX socket has it).  The output must equal the host
 * Linux's.  With argument persona-only: TCP's, which 6.1 has not
 * (EOPNOTSUPP: it came in 6.9), compared with peekoff.persona-only.expected.
 */
#define _GNU_SOURCE
#include "check.h"
#include <arpa/inet.h>
#ifndef AF_NETLINK
#define AF_NETLINK 16
#endif
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SO_PEEK_OFF
#define SO_PEEK_OFF 42
#endif

static char buf[64];

static int getoff(int fd)
{
    int v = -7;
    socklen_t l = sizeof v;
    return getsockopt(fd, SOL_SOCKET, SO_PEEK_OFF, &v, &l) < 0 ? -100 - errno : v;
}

static int setoff(int fd, int v) { return setsockopt(fd, SOL_SOCKET, SO_PEEK_OFF, &v, sizeof v); }

/* A receive's bytes as text, and the offset after. */
static long rd(int fd, size_t len, int flags)
{
    memset(buf, 0, sizeof buf);
    long n = recv(fd, buf, len, flags | MSG_DONTWAIT);
    if (n >= 0)
        printf("  '%s' off %d\n", buf, getoff(fd));
    return n;
}

static void stream(void)
{
    int sv[2];
    printf("-- AF_UNIX stream\n");
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    CHECK(getoff(sv[1]));
    CHECK(rd(sv[1], 4, MSG_PEEK));
    CHECK(setoff(sv[1], 0));
    CHECK(getoff(sv[1]));
    CHECK(write(sv[0], "abcdef", 6));
    CHECK(write(sv[0], "ghij", 4));
    CHECK(rd(sv[1], 4, MSG_PEEK));
    CHECK(rd(sv[1], 4, MSG_PEEK));
    CHECK(rd(sv[1], 4, MSG_PEEK));
    CHECK(rd(sv[1], 4, MSG_PEEK));
    CHECK(rd(sv[1], 3, 0));
    CHECK(rd(sv[1], 2, MSG_PEEK));
    CHECK(rd(sv[1], 20, 0));
    CHECK(rd(sv[1], 20, 0));
    CHECK(setoff(sv[1], 100));
    CHECK(write(sv[0], "xy", 2));
    CHECK(rd(sv[1], 4, MSG_PEEK));
    CHECK(rd(sv[1], 4, 0));
    CHECK(getoff(sv[1]));
    CHECK(setoff(sv[1], -5));
    CHECK(getoff(sv[1]));
    CHECK(write(sv[0], "kl", 2));
    CHECK(rd(sv[1], 1, MSG_PEEK));
    CHECK(rd(sv[1], 1, MSG_PEEK));
    CHECK(setoff(sv[1], 1));
    CHECK(rd(sv[1], 1, MSG_PEEK));
    close(sv[0]);
    CHECK(rd(sv[1], 4, MSG_PEEK));
    CHECK(rd(sv[1], 4, 0));
    close(sv[1]);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(setoff(s, 3));
    CHECK(getoff(s));
    close(s);
}

/* A peek of a stream with descriptors passed: those of the message it
 * reads come (and end it), those before its offset not. */
static long peek_fds(int fd, int flags)
{
    char cbuf[CMSG_SPACE(4 * sizeof(int))];
    struct iovec iov = {buf, 10};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
    memset(buf, 0, sizeof buf);
    long n = recvmsg(fd, &m, flags | MSG_DONTWAIT);
    int fds = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); n >= 0 && c; c = CMSG_NXTHDR(&m, c))
        if (c->cmsg_type == SCM_RIGHTS)
            for (int i = 0; i < (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int)); i++, fds++)
                close(((int *)CMSG_DATA(c))[i]);
    if (n >= 0)
        printf("  '%s' fds %d off %d\n", buf, fds, getoff(fd));
    return n;
}

static void stream_fds(void)
{
    int sv[2], fd = 0;
    char cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {"cd", 2};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET, c->cmsg_type = SCM_RIGHTS, c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
    printf("-- AF_UNIX stream, descriptors\n");
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    CHECK(setoff(sv[1], 0));
    CHECK(send(sv[0], "ab", 2, 0));
    CHECK(sendmsg(sv[0], &m, 0));
    CHECK(send(sv[0], "ef", 2, 0));
    CHECK(peek_fds(sv[1], MSG_PEEK));
    CHECK(peek_fds(sv[1], MSG_PEEK));
    CHECK(setoff(sv[1], 3));
    CHECK(peek_fds(sv[1], MSG_PEEK));
    CHECK(setoff(sv[1], 4));
    CHECK(peek_fds(sv[1], MSG_PEEK));
    CHECK(peek_fds(sv[1], 0));
    CHECK(peek_fds(sv[1], 0));
    CHECK(peek_fds(sv[1], 0));
    close(sv[0]), close(sv[1]);
}

static void messages(int type, const char *what)
{
    int sv[2];
    printf("-- AF_UNIX %s\n", what);
    CHECK(socketpair(AF_UNIX, type, 0, sv));
    CHECK(setoff(sv[1], 0));
    CHECK(send(sv[0], "abcde", 5, 0));
    CHECK(send(sv[0], "fgh", 3, 0));
    CHECK(send(sv[0], "ijkl", 4, 0));
    CHECK(rd(sv[1], 2, MSG_PEEK));
    CHECK(rd(sv[1], 10, MSG_PEEK));
    CHECK(rd(sv[1], 10, MSG_PEEK));
    CHECK(rd(sv[1], 2, MSG_PEEK | MSG_TRUNC));
    CHECK(rd(sv[1], 10, 0));
    CHECK(rd(sv[1], 10, MSG_PEEK));
    CHECK(rd(sv[1], 10, MSG_PEEK));
    CHECK(rd(sv[1], 10, 0));
    CHECK(rd(sv[1], 10, 0));
    CHECK(rd(sv[1], 10, MSG_PEEK));
    close(sv[0]), close(sv[1]);
}

static void udp(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    printf("-- UDP\n");
    int r = socket(AF_INET, SOCK_DGRAM, 0), w = socket(AF_INET, SOCK_DGRAM, 0);
    bind(r, (struct sockaddr *)&a, sizeof a), getsockname(r, (struct sockaddr *)&a, &al);
    connect(w, (struct sockaddr *)&a, sizeof a);
    CHECK(getoff(r));
    CHECK(setoff(r, 0));
    CHECK(send(w, "abcde", 5, 0));
    CHECK(send(w, "fgh", 3, 0));
    usleep(20000);
    CHECK(rd(r, 2, MSG_PEEK));
    CHECK(rd(r, 3, MSG_PEEK));
    CHECK(rd(r, 10, MSG_PEEK));
    CHECK(rd(r, 10, MSG_PEEK));
    CHECK(setoff(r, 1));
    CHECK(rd(r, 2, MSG_PEEK | MSG_TRUNC));
    struct iovec iov = {buf, 4};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    CHECK(setoff(r, 1));
    CHECK(recvmsg(r, &m, MSG_PEEK));
    CHECK(m.msg_flags);
    CHECK(getoff(r));
    CHECK(rd(r, 2, 0));
    CHECK(rd(r, 10, MSG_PEEK));
    CHECK(rd(r, 10, 0));
    CHECK(rd(r, 10, 0));
    int ipv6 = socket(AF_INET6, SOCK_DGRAM, 0);
    CHECK(setoff(ipv6, 2));
    CHECK(getoff(ipv6));
    close(r), close(w), close(ipv6);
    int nl = socket(AF_NETLINK, SOCK_RAW, 0 /* NETLINK_ROUTE */);
    CHECK(setoff(nl, 0));
    CHECK(getoff(nl));
    int v = 0;
    CHECK(setsockopt(nl, SOL_SOCKET, SO_PEEK_OFF, &v, 2));
    close(nl);
}

static void tcp(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    printf("-- TCP (6.1: no SO_PEEK_OFF)\n");
    int l = socket(AF_INET, SOCK_STREAM, 0);
    bind(l, (struct sockaddr *)&a, sizeof a), listen(l, 1), getsockname(l, (struct sockaddr *)&a, &al);
    int w = socket(AF_INET, SOCK_STREAM, 0);
    connect(w, (struct sockaddr *)&a, sizeof a);
    int r = accept(l, 0, 0);
    CHECK(getoff(l));
    CHECK(setoff(l, 0));
    CHECK(getoff(r));
    CHECK(setoff(r, 0));
    CHECK(write(w, "abcd", 4));
    usleep(20000);
    CHECK(rd(r, 2, MSG_PEEK));
    CHECK(rd(r, 2, MSG_PEEK));
    close(l), close(w), close(r);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, 0, _IONBF, 0);
    if (argc > 1 && !strcmp(argv[1], "persona-only")) {
        tcp();
        return 0;
    }
    stream();
    stream_fds();
    messages(SOCK_DGRAM, "datagram");
    messages(SOCK_SEQPACKET, "seqpacket");
    udp();
    return 0;
}
