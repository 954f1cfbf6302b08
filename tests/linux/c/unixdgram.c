/*
 * tests/linux/c/unixdgram.c - AF_UNIX datagram and seqpacket sockets:
 * socketpair of each kind with message boundaries kept, MSG_TRUNC,
 * MSG_PEEK, MSG_DONTWAIT; named (a path, an abstract name) and autobound
 * datagram sockets: sendto, recvfrom with the sender's name, connect as a
 * default peer and its errors (EPROTOTYPE, ECONNREFUSED, ENOTCONN,
 * EISCONN), a full queue (EAGAIN, or a sender that waits for the reader),
 * a receive woken by a datagram, readiness in poll; seqpacket listen,
 * connect and accept, end of file after the peer closes; and SCM_RIGHTS
 * on both kinds.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "scm.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static socklen_t addr_of(struct sockaddr_un *a, const char *path, int abstract)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    strcpy(a->sun_path + (abstract ? 1 : 0), path);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

static int revents(int fd)
{
    struct pollfd p = {fd, POLLIN | POLLOUT | POLLRDHUP, 0};
    poll(&p, 1, 0);
    return p.revents;
}

static void pairs(int type)
{
    int sv[2];
    char buf[64];
    printf("-- socketpair type %d\n", type);
    CHECK(socketpair(AF_UNIX, type, 0, sv));
    CHECK(send(sv[0], "one", 3, 0));
    CHECK(send(sv[0], "second", 6, 0));
    CHECK(send(sv[0], "", 0, 0));
    CHECK(write(sv[0], "third!", 6));
    CHECK(revents(sv[1]));
    CHECK(recv(sv[1], buf, sizeof buf, MSG_PEEK));
    CHECK(recv(sv[1], buf, sizeof buf, 0));
    CHECK(recv(sv[1], buf, 2, MSG_TRUNC));
    printf("got %.2s\n", buf);
    CHECK(recv(sv[1], buf, sizeof buf, 0));
    struct iovec iov = {buf, 3};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    CHECK(recvmsg(sv[1], &m, 0));
    CHECK(m.msg_flags == MSG_TRUNC);
    CHECK(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    CHECK(revents(sv[1]));
    CHECK(send(sv[1], "x", 1, MSG_EOR));
    CHECK(recv(sv[0], buf, sizeof buf, 0));
    int sot = 0;
    socklen_t sl = sizeof sot;
    CHECK(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &sot, &sl));
    CHECK(sot);
    struct sockaddr_un a;
    socklen_t al = sizeof a;
    CHECK(getsockname(sv[0], (struct sockaddr *)&a, &al));
    CHECK(al);
    al = sizeof a;
    CHECK(getpeername(sv[0], (struct sockaddr *)&a, &al));
    CHECK(al);
    /* a full queue: EAGAIN without waiting */
    int n = 0;
    long r;
    while ((r = send(sv[0], buf, 10, MSG_DONTWAIT)) == 10)
        n++;
    printf("full after some: %d errno %s\n", n > 5, strerror(errno));
    CHECK(revents(sv[0]) & POLLOUT);
    /* a sender that waits: the child reads everything */
    if (fork() == 0) {
        usleep(100000);
        for (int i = 0; i < n; i++)
            recv(sv[1], buf, sizeof buf, 0);
        _exit(0);
    }
    CHECK(send(sv[0], "last", 4, 0));
    wait(NULL);
    CHECK(recv(sv[1], buf, sizeof buf, 0));
    printf("got %.4s\n", buf);
    CHECK(close(sv[0]));
    CHECK(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    CHECK(send(sv[1], "z", 1, MSG_NOSIGNAL));
    CHECK(revents(sv[1]));
    CHECK(close(sv[1]));
}

static void named(void)
{
    struct sockaddr_un a, b, from;
    socklen_t la = addr_of(&a, "/tmp/udg-a", 0), lb = addr_of(&b, "udg-b", 1), fl;
    char buf[64];
    int x = socket(AF_UNIX, SOCK_DGRAM, 0), y = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    int z = socket(AF_UNIX, SOCK_DGRAM, 0), s = socket(AF_UNIX, SOCK_STREAM, 0);
    printf("-- named\n");
    unlink("/tmp/udg-a");
    CHECK(bind(x, (struct sockaddr *)&a, la));
    CHECK(bind(y, (struct sockaddr *)&b, lb));
    struct stat st;
    CHECK(stat("/tmp/udg-a", &st) == 0 && S_ISSOCK(st.st_mode));
    CHECK(bind(z, (struct sockaddr *)&a, la));
    CHECK(send(z, "q", 1, 0));
    CHECK(sendto(z, "hello", 5, 0, (struct sockaddr *)&a, la));
    CHECK(sendto(y, "from y", 6, 0, (struct sockaddr *)&a, la));
    fl = sizeof from;
    CHECK(recvfrom(x, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl));
    CHECK(fl == offsetof(struct sockaddr_un, sun_path) + 6 && from.sun_path[0] == 0);
    fl = sizeof from;
    CHECK(recvfrom(x, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl));
    CHECK(fl == lb && memcmp(&from, &b, lb) == 0);
    /* z got a name of its own when it sent (autobind): send back */
    CHECK(sendto(x, "back", 4, 0, (struct sockaddr *)&b, lb));
    CHECK(recv(y, buf, sizeof buf, 0));
    CHECK(recv(y, buf, sizeof buf, 0));
    struct msghdr m = {0};
    struct iovec iov = {buf, sizeof buf};
    m.msg_name = &from, m.msg_namelen = sizeof from, m.msg_iov = &iov, m.msg_iovlen = 1;
    CHECK(sendto(x, "msg", 3, 0, (struct sockaddr *)&b, lb));
    CHECK(recvmsg(y, &m, 0));
    CHECK(m.msg_namelen == la && strcmp(from.sun_path, "/tmp/udg-a") == 0);
    /* errors */
    struct sockaddr_un none;
    socklen_t ln = addr_of(&none, "/tmp/udg-none", 0);
    CHECK(sendto(x, "e", 1, 0, (struct sockaddr *)&none, ln));
    ln = addr_of(&none, "udg-none", 1);
    CHECK(sendto(x, "e", 1, 0, (struct sockaddr *)&none, ln));
    CHECK(connect(x, (struct sockaddr *)&none, ln));
    CHECK(send(x, "e", 1, 0));
    CHECK(connect(s, (struct sockaddr *)&a, la));
    CHECK(connect(x, (struct sockaddr *)&b, lb));
    CHECK(send(x, "c1", 2, 0));
    CHECK(recv(y, buf, sizeof buf, 0));
    CHECK(write(x, "c2", 2));
    CHECK(read(y, buf, sizeof buf));
    CHECK(sendto(x, "c3", 2, 0, (struct sockaddr *)&b, lb));
    CHECK(recv(y, buf, sizeof buf, 0));
    fl = sizeof from;
    CHECK(getpeername(x, (struct sockaddr *)&from, &fl));
    CHECK(fl == lb);
    /* a connected socket takes datagrams from its peer only */
    CHECK(connect(y, (struct sockaddr *)&a, la));
    CHECK(sendto(z, "no", 2, 0, (struct sockaddr *)&a, la));
    CHECK(recv(y, buf, sizeof buf, 0));
    CHECK(recv(y, buf, sizeof buf, 0));
    /* dissolving the connection */
    struct sockaddr un = {AF_UNSPEC};
    CHECK(connect(x, &un, sizeof un));
    CHECK(send(x, "e", 1, 0));
    CHECK(connect(x, (struct sockaddr *)&b, lb));
    CHECK(close(y));
    CHECK(send(x, "e", 1, 0));
    CHECK(send(x, "e", 1, 0));
    CHECK(listen(x, 1));
    CHECK(accept(x, NULL, NULL));
    CHECK(sendto(x, "e", 1, 0, (struct sockaddr *)&a, 1));
    CHECK(sendto(x, "e", 1, 0, (struct sockaddr *)&a, 200));
    CHECK(sendto(x, "e", 1, 0, (struct sockaddr *)1, la));
    CHECK(recv(x, (char *)1, 1, MSG_DONTWAIT));
    /* a receive woken by a datagram */
    if (fork() == 0) {
        usleep(100000);
        sendto(z, "late", 4, 0, (struct sockaddr *)&a, la);
        _exit(0);
    }
    CHECK(recv(x, buf, sizeof buf, 0));
    wait(NULL);
    int ep = epoll_create1(0);
    struct epoll_event ev = {EPOLLIN, {0}};
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, x, &ev));
    CHECK(epoll_wait(ep, &ev, 1, 0));
    CHECK(sendto(z, "e", 1, 0, (struct sockaddr *)&a, la));
    CHECK(epoll_wait(ep, &ev, 1, 0));
    CHECK(shutdown(x, SHUT_RD));
    CHECK(recv(x, buf, sizeof buf, 0));
    CHECK(revents(x));
    close(ep), close(x), close(z), close(s);
    CHECK(unlink("/tmp/udg-a"));
}

static void seqpacket(void)
{
    struct sockaddr_un a, from;
    socklen_t la = addr_of(&a, "udg-seq", 1), fl = sizeof from;
    char buf[64];
    int l = socket(AF_UNIX, SOCK_SEQPACKET, 0), c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    int d = socket(AF_UNIX, SOCK_DGRAM, 0), st = socket(AF_UNIX, SOCK_STREAM, 0);
    printf("-- seqpacket\n");
    CHECK(send(c, "x", 1, 0));
    CHECK(recv(c, buf, 1, MSG_DONTWAIT));
    CHECK(bind(l, (struct sockaddr *)&a, la));
    CHECK(connect(c, (struct sockaddr *)&a, la));
    CHECK(listen(l, 5));
    CHECK(revents(l) & POLLIN);
    CHECK(connect(d, (struct sockaddr *)&a, la));
    CHECK(connect(st, (struct sockaddr *)&a, la));
    CHECK(connect(c, (struct sockaddr *)&a, la));
    CHECK(connect(c, (struct sockaddr *)&a, la));
    CHECK(revents(l) & POLLIN);
    int s = accept(l, (struct sockaddr *)&from, &fl);
    CHECK(s >= 0);
    CHECK(fl);
    fl = sizeof from;
    CHECK(getpeername(c, (struct sockaddr *)&from, &fl));
    CHECK(fl == la);
    CHECK(send(c, "packet one", 10, 0));
    CHECK(send(c, "two", 3, MSG_EOR));
    CHECK(sendto(c, "three", 5, 0, (struct sockaddr *)&a, la));
    CHECK(recv(s, buf, 4, 0));
    CHECK(recv(s, buf, sizeof buf, 0));
    CHECK(recv(s, buf, sizeof buf, 0));
    CHECK(send(s, "reply", 5, 0));
    CHECK(recv(c, buf, sizeof buf, 0));
    CHECK(revents(s));
    CHECK(send(s, "bye", 3, 0));
    CHECK(close(s));
    CHECK(revents(c));
    CHECK(recv(c, buf, sizeof buf, 0));
    CHECK(recv(c, buf, sizeof buf, 0));
    CHECK(send(c, "x", 1, MSG_NOSIGNAL));
    close(c), close(l), close(d), close(st);
}

static void rights(int type)
{
    int sv[2], p[2];
    char buf[16];
    printf("-- rights type %d\n", type);
    CHECK(socketpair(AF_UNIX, type, 0, sv));
    CHECK(pipe(p));
    union scm_room u;
    memset(&u, 0, sizeof u);
    struct iovec iov = {"fd", 2};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b, .msg_controllen = sizeof u.b};
    u.h.cmsg_len = CMSG_LEN(sizeof(int)), u.h.cmsg_level = SOL_SOCKET, u.h.cmsg_type = SCM_RIGHTS;
    memcpy(CMSG_DATA(&u.h), &p[1], sizeof(int));
    CHECK(sendmsg(sv[0], &m, 0));
    CHECK(send(sv[0], "plain", 5, 0));
    close(p[1]);
    memset(&u, 0, sizeof u);
    iov.iov_base = buf, iov.iov_len = sizeof buf;
    m.msg_controllen = sizeof u.b;
    CHECK(recvmsg(sv[1], &m, 0));
    CHECK(m.msg_controllen == sizeof u.b && u.h.cmsg_type == SCM_RIGHTS);
    int fd;
    memcpy(&fd, CMSG_DATA(&u.h), sizeof fd);
    CHECK(write(fd, "ok", 2));
    CHECK(read(p[0], buf, sizeof buf));
    m.msg_controllen = sizeof u.b;
    CHECK(recvmsg(sv[1], &m, 0));
    CHECK(m.msg_controllen);
    close(fd), close(p[0]), close(sv[0]), close(sv[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, SIG_IGN);
    pairs(SOCK_DGRAM);
    pairs(SOCK_SEQPACKET);
    named();
    seqpacket();
    rights(SOCK_DGRAM);
    rights(SOCK_SEQPACKET);
    CHECK(socket(AF_UNIX, SOCK_RAW, 0));
    CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 7, (int[2]){0}));
    return 0;
}
