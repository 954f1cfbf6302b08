/*
 * tests/linux/c/sockoob.c - out-of-band data on stream sockets.  TCP's
 * urgent byte: send(MSG_OOB) marks the last byte, recv(MSG_OOB) (and with
 * MSG_PEEK, MSG_TRUNC, a length of 0) takes it once, a read stops at the
 * mark and passes over the byte, SIOCATMARK and SIOCINQ around it,
 * SO_OOBINLINE, a newer byte replacing one unread, SIGURG to F_SETOWN's
 * owner, POLLPRI, select's exceptfds and EPOLLPRI, and the errors (none,
 * read already, inline, listening, unconnected).  AF_UNIX streams' 6.1
 * MSG_OOB (one byte a record of its own), where 6.1 and the host agree;
 * seqpacket and datagram sockets' EOPNOTSUPP.  The output must equal the
 * host Linux's.  With argument persona-only: AF_UNIX's cases where later
 * kernels changed 6.1's answers (a peek through the urgent byte, a read
 * passing over it leaving it for MSG_OOB, SIOCATMARK and POLLIN at a
 * taken byte's place; SIOCATMARK of seqpacket and datagram sockets, 0),
 * compared with sockoob.persona-only.expected.
 */
#define _GNU_SOURCE
#include "check.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int urgs;
static void on_urg(int sig) { (void)sig; urgs++; }

static char buf[64];

/* A settle: the loopback has delivered what was sent. */
static void settle(void) { usleep(20000); }

static int revents(int fd)
{
    struct pollfd p = {fd, POLLIN | POLLPRI | POLLOUT, 0};
    poll(&p, 1, 0);
    return p.revents & (POLLIN | POLLPRI);
}

static int atmark(int fd)
{
    int v = -1;
    return ioctl(fd, SIOCATMARK, &v) < 0 ? -1 : v;
}

static int inq(int fd)
{
    int v = -1;
    return ioctl(fd, FIONREAD, &v) < 0 ? -1 : v;
}

/* A read's bytes as text (the count, or -1 with errno). */
static long rd(int fd, int flags)
{
    memset(buf, 0, sizeof buf);
    long n = recv(fd, buf, sizeof buf - 1, flags | MSG_DONTWAIT);
    if (n >= 0)
        printf("  read '%s'\n", buf);
    return n;
}

static int except_ready(int fd)
{
    fd_set ex;
    struct timeval tv = {0, 0};
    FD_ZERO(&ex);
    FD_SET(fd, &ex);
    return select(fd + 1, NULL, NULL, &ex, &tv) == 1 && FD_ISSET(fd, &ex);
}

static int epoll_pri(int fd)
{
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLPRI}, out;
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    int n = epoll_wait(ep, &out, 1, 0);
    close(ep);
    return n == 1 ? (int)out.events : 0;
}

static void tcp_pair(int *l, int *w, int *r)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    int one = 1;
    *l = socket(AF_INET, SOCK_STREAM, 0);
    bind(*l, (struct sockaddr *)&a, sizeof a), listen(*l, 1), getsockname(*l, (struct sockaddr *)&a, &al);
    *w = socket(AF_INET, SOCK_STREAM, 0);
    connect(*w, (struct sockaddr *)&a, sizeof a);
    *r = accept(*l, 0, 0);
    setsockopt(*w, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static void tcp(void)
{
    int l, w, r, one = 1, zero = 0;
    char c;
    tcp_pair(&l, &w, &r);
    printf("-- TCP\n");
    CHECK(recv(l, &c, 1, MSG_OOB));
    int u = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(recv(u, &c, 1, MSG_OOB));
    CHECK(send(u, "x", 1, MSG_OOB));
    CHECK(atmark(u));
    CHECK(recv(r, &c, 1, MSG_OOB));
    CHECK(atmark(r));
    CHECK(fcntl(r, F_SETOWN, getpid()));
    CHECK(send(w, "abc", 3, MSG_OOB));
    settle();
    CHECK(urgs);
    CHECK(revents(r));
    CHECK(except_ready(r));
    CHECK(epoll_pri(r));
    CHECK(atmark(r));
    CHECK(inq(r));
    CHECK(rd(r, MSG_PEEK));
    CHECK(rd(r, 0));
    CHECK(atmark(r));
    CHECK(inq(r));
    CHECK(revents(r));
    c = 0;
    CHECK(recv(r, &c, 1, MSG_OOB | MSG_PEEK));
    printf("  oob '%c'\n", c);
    CHECK(recv(r, &c, 1, MSG_OOB));
    printf("  oob '%c'\n", c);
    CHECK(recv(r, &c, 1, MSG_OOB));
    CHECK(atmark(r));
    CHECK(revents(r));
    CHECK(except_ready(r));
    CHECK(send(w, "de", 2, 0));
    settle();
    CHECK(rd(r, MSG_PEEK));
    CHECK(rd(r, 0));
    CHECK(atmark(r));

    printf("-- TCP: a read starting at the mark passes over the byte, which is gone\n");
    CHECK(send(w, "fg", 2, MSG_OOB));
    CHECK(send(w, "hi", 2, 0));
    settle();
    CHECK(rd(r, 0));
    CHECK(rd(r, 0));
    CHECK(recv(r, &c, 1, MSG_OOB));
    CHECK(atmark(r));

    printf("-- TCP: only the urgent byte\n");
    CHECK(send(w, "z", 1, MSG_OOB));
    settle();
    CHECK(revents(r));
    CHECK(inq(r));
    CHECK(atmark(r));
    CHECK(rd(r, 0));
    CHECK(recv(r, &c, 1, MSG_OOB));
    CHECK(atmark(r));

    printf("-- TCP: lengths and flags\n");
    CHECK(send(w, "jk", 2, MSG_OOB));
    settle();
    struct iovec iov = {buf, 0};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    CHECK(recvmsg(r, &m, MSG_OOB | MSG_PEEK));
    CHECK(m.msg_flags);
    iov.iov_len = 8;
    m.msg_flags = 0;
    CHECK(recvmsg(r, &m, MSG_OOB | MSG_TRUNC | MSG_PEEK));
    CHECK(m.msg_flags);
    CHECK(recvmsg(r, &m, MSG_OOB));
    CHECK(m.msg_flags);
    printf("  oob '%c'\n", buf[0]);
    CHECK(recv(r, (void *)8, 1, MSG_OOB));
    CHECK(rd(r, 0));

    printf("-- TCP: a newer urgent byte\n");
    CHECK(send(w, "p", 1, 0));
    CHECK(send(w, "1", 1, MSG_OOB));
    CHECK(send(w, "2", 1, MSG_OOB));
    settle();
    CHECK(urgs);
    CHECK(inq(r));
    CHECK(recv(r, &c, 1, MSG_OOB));
    printf("  oob '%c'\n", c);
    CHECK(rd(r, 0));
    CHECK(atmark(r));
    CHECK(rd(r, 0));
    printf("-- TCP: a newer one while the reader is at the mark\n");
    CHECK(send(w, "3", 1, MSG_OOB));
    settle();
    CHECK(atmark(r));
    CHECK(send(w, "4", 1, MSG_OOB));
    settle();
    CHECK(inq(r));
    CHECK(recv(r, &c, 1, MSG_OOB));
    printf("  oob '%c'\n", c);
    CHECK(rd(r, 0));

    printf("-- TCP: SO_OOBINLINE\n");
    CHECK(setsockopt(r, SOL_SOCKET, SO_OOBINLINE, &one, sizeof one));
    CHECK(send(w, "xy", 2, MSG_OOB));
    settle();
    CHECK(revents(r));
    CHECK(inq(r));
    CHECK(recv(r, &c, 1, MSG_OOB));
    CHECK(rd(r, 0));
    CHECK(atmark(r));
    CHECK(revents(r));
    CHECK(rd(r, 0));
    CHECK(atmark(r));
    CHECK(revents(r));
    CHECK(setsockopt(r, SOL_SOCKET, SO_OOBINLINE, &zero, sizeof zero));
    printf("-- TCP: an accepted socket has its listener's SO_OOBINLINE\n");
    CHECK(setsockopt(l, SOL_SOCKET, SO_OOBINLINE, &one, sizeof one));
    int l2, w2, r2;
    close(l);
    tcp_pair(&l2, &w2, &r2);
    CHECK(setsockopt(l2, SOL_SOCKET, SO_OOBINLINE, &one, sizeof one));
    close(w2), close(r2);
    struct sockaddr_in a;
    socklen_t al = sizeof a;
    getsockname(l2, (struct sockaddr *)&a, &al);
    w2 = socket(AF_INET, SOCK_STREAM, 0);
    connect(w2, (struct sockaddr *)&a, sizeof a);
    r2 = accept(l2, 0, 0);
    int v = -1;
    socklen_t vl = sizeof v;
    CHECK(getsockopt(r2, SOL_SOCKET, SO_OOBINLINE, &v, &vl));
    CHECK(v);
    CHECK(send(w2, "mn", 2, MSG_OOB));
    settle();
    CHECK(rd(r2, 0));
    CHECK(rd(r2, 0));
    CHECK(urgs);
    close(l2), close(w2), close(r2), close(w), close(r), close(u);
}

static void unix_common(void)
{
    int sv[2], one = 1;
    char c;
    printf("-- AF_UNIX stream\n");
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    int a = sv[0], b = sv[1];
    CHECK(send(a, "", 0, MSG_OOB));
    CHECK(recv(b, &c, 1, MSG_OOB));
    CHECK(atmark(b));
    CHECK(fcntl(b, F_SETOWN, getpid()));
    int before = urgs;
    CHECK(send(a, "abc", 3, MSG_OOB));
    CHECK(urgs - before);
    CHECK(revents(b));
    CHECK(except_ready(b));
    CHECK(epoll_pri(b));
    CHECK(atmark(b));
    CHECK(inq(b));
    CHECK(rd(b, 0));
    CHECK(atmark(b));
    c = 0;
    CHECK(recv(b, &c, 1, MSG_OOB | MSG_PEEK));
    printf("  oob '%c'\n", c);
    CHECK(revents(b));
    CHECK(recv(b, &c, 1, MSG_OOB));
    printf("  oob '%c'\n", c);
    CHECK(recv(b, &c, 1, MSG_OOB));
    CHECK(inq(b));
    CHECK(send(a, "de", 2, 0));
    CHECK(rd(b, 0));
    CHECK(rd(b, 0));

    printf("-- AF_UNIX: a newer byte\n");
    CHECK(send(a, "1", 1, MSG_OOB));
    CHECK(send(a, "2", 1, MSG_OOB));
    CHECK(inq(b));
    CHECK(rd(b, 0));
    CHECK(atmark(b));
    CHECK(recv(b, &c, 1, MSG_OOB));
    printf("  oob '%c'\n", c);
    CHECK(send(a, "3", 1, 0));
    CHECK(rd(b, 0));

    printf("-- AF_UNIX: SO_OOBINLINE\n");
    CHECK(setsockopt(b, SOL_SOCKET, SO_OOBINLINE, &one, sizeof one));
    CHECK(send(a, "xy", 2, MSG_OOB));
    CHECK(revents(b));
    CHECK(recv(b, &c, 1, MSG_OOB));
    CHECK(rd(b, 0));
    CHECK(atmark(b));
    CHECK(rd(b, 0));
    CHECK(revents(b));
    CHECK(urgs - before);
    close(a), close(b);

    printf("-- AF_UNIX: other types\n");
    CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
    CHECK(send(sv[0], "q", 1, MSG_OOB));
    CHECK(recv(sv[1], &c, 1, MSG_OOB | MSG_DONTWAIT));
    close(sv[0]), close(sv[1]);
    CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
    CHECK(send(sv[0], "q", 1, MSG_OOB));
    CHECK(recv(sv[1], &c, 1, MSG_OOB | MSG_DONTWAIT));
    close(sv[0]), close(sv[1]);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(recv(s, &c, 1, MSG_OOB));
    CHECK(send(s, "q", 1, MSG_OOB));
    close(s);
}

/* Linux 6.1's AF_UNIX cases later kernels answer otherwise. */
static void unix_61(void)
{
    int sv[2];
    char c;
    printf("-- AF_UNIX (6.1)\n");
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    int a = sv[0], b = sv[1];
    CHECK(send(a, "abc", 3, MSG_OOB));
    CHECK(send(a, "de", 2, 0));
    CHECK(rd(b, MSG_PEEK));
    CHECK(rd(b, 0));
    CHECK(recv(b, &c, 1, MSG_OOB));
    printf("  oob '%c'\n", c);
    CHECK(atmark(b));
    CHECK(inq(b));
    CHECK(revents(b));
    CHECK(rd(b, 0));
    CHECK(rd(b, 0));
    CHECK(revents(b));
    printf("-- a read at the byte passes over it, which MSG_OOB still takes\n");
    CHECK(send(a, "xy", 2, MSG_OOB));
    CHECK(send(a, "z", 1, 0));
    CHECK(rd(b, 0));
    CHECK(rd(b, 0));
    CHECK(revents(b));
    CHECK(atmark(b));
    CHECK(recv(b, &c, 1, MSG_OOB));
    printf("  oob '%c'\n", c);
    CHECK(revents(b));
    printf("-- a break stops a read\n");
    CHECK(send(a, "12", 2, MSG_OOB));
    CHECK(recv(b, &c, 1, MSG_OOB));
    printf("  oob '%c'\n", c);
    CHECK(send(a, "3", 1, 0));
    CHECK(rd(b, MSG_PEEK));
    CHECK(rd(b, 0));
    CHECK(rd(b, 0));
    close(a), close(b);
    printf("-- SIOCATMARK of the other types\n");
    CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
    CHECK(atmark(sv[1]));
    close(sv[0]), close(sv[1]);
    CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
    CHECK(atmark(sv[1]));
    close(sv[0]), close(sv[1]);
}

static volatile int sig_code, sig_band, sig_fd, rt_count;
static void on_rt(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    sig_code = si->si_code, sig_band = (int)si->si_band, sig_fd = si->si_fd, rt_count++;
}

/* A blocking read that waits while urgent data comes: it stops at the
 * mark; MSG_WAITALL too.  F_SETSIG's signal with POLL_PRI, edge-triggered
 * EPOLLPRI. */
static void more(void)
{
    int l, w, r;
    char c;
    tcp_pair(&l, &w, &r);
    printf("-- a waiting read, MSG_WAITALL\n");
    pid_t pid = fork();
    if (pid == 0) {
        usleep(100000);
        send(w, "abc", 3, MSG_OOB);
        usleep(100000);
        send(w, "de", 2, 0);
        _exit(0);
    }
    memset(buf, 0, sizeof buf);
    CHECK(recv(r, buf, 10, 0));
    printf("  read '%s'\n", buf);
    CHECK(atmark(r));
    CHECK(recv(r, &c, 1, MSG_OOB));
    memset(buf, 0, sizeof buf);
    CHECK(recv(r, buf, 2, MSG_WAITALL));
    printf("  read '%s'\n", buf);
    CHECK(send(w, "fgh", 3, MSG_OOB));
    CHECK(send(w, "ij", 2, 0));
    settle();
    memset(buf, 0, sizeof buf);
    CHECK(recv(r, buf, 5, MSG_WAITALL));
    printf("  read '%s'\n", buf);
    memset(buf, 0, sizeof buf);
    CHECK(recv(r, buf, 2, MSG_WAITALL));
    printf("  read '%s'\n", buf);

    printf("-- MSG_TRUNC's reads stop at the mark too\n");
    CHECK(send(w, "opq", 3, MSG_OOB));
    CHECK(send(w, "rs", 2, 0));
    settle();
    CHECK(recv(r, NULL, 10, MSG_TRUNC | MSG_PEEK | MSG_DONTWAIT));
    CHECK(recv(r, NULL, 10, MSG_TRUNC | MSG_DONTWAIT));
    CHECK(atmark(r));
    CHECK(recv(r, NULL, 10, MSG_TRUNC | MSG_PEEK | MSG_DONTWAIT));
    CHECK(recv(r, NULL, 10, MSG_TRUNC | MSG_DONTWAIT));
    CHECK(recv(r, &c, 1, MSG_OOB));
    CHECK(atmark(r));

    printf("-- F_SETSIG, O_ASYNC\n");
    struct sigaction sa = {.sa_sigaction = on_rt, .sa_flags = SA_SIGINFO};
    sigaction(SIGRTMIN + 1, &sa, NULL);
    CHECK(fcntl(r, F_SETOWN, getpid()));
    CHECK(fcntl(r, F_SETSIG, SIGRTMIN + 1));
    CHECK(fcntl(r, F_SETFL, O_ASYNC | O_NONBLOCK));
    int before = urgs;
    rt_count = 0;
    CHECK(send(w, "k", 1, MSG_OOB));
    settle();
    CHECK(urgs - before);
    CHECK(rt_count > 0);
    CHECK(sig_code == POLL_PRI || sig_code == POLL_IN);
    CHECK(recv(r, &c, 1, MSG_OOB));
    CHECK(fcntl(r, F_SETFL, O_NONBLOCK));

    printf("-- EPOLLET\n");
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLPRI | EPOLLET}, out;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, r, &ev));
    CHECK(epoll_wait(ep, &out, 1, 0));
    CHECK(send(w, "m", 1, MSG_OOB));
    settle();
    CHECK(epoll_wait(ep, &out, 1, 0));
    CHECK(out.events);
    CHECK(epoll_wait(ep, &out, 1, 0));
    CHECK(send(w, "n", 1, MSG_OOB));
    settle();
    CHECK(epoll_wait(ep, &out, 1, 0));
    close(ep), close(l), close(w), close(r);

    int sv[2];
    printf("-- AF_UNIX: lengths\n");
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    CHECK(send(sv[0], "xy", 2, MSG_OOB));
    CHECK(recv(sv[1], (void *)8, 1, MSG_OOB | MSG_PEEK));
    struct iovec iov = {buf, 8};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    CHECK(recvmsg(sv[1], &m, MSG_OOB | MSG_PEEK));
    CHECK(m.msg_flags);
    CHECK(rd(sv[1], 0));
    CHECK(shutdown(sv[1], SHUT_RD));
    CHECK(send(sv[0], "z", 1, MSG_OOB));
    close(sv[0]), close(sv[1]);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, 0, _IONBF, 0);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGURG, on_urg);
    if (argc > 1 && !strcmp(argv[1], "persona-only")) {
        unix_61();
        return 0;
    }
    tcp();
    unix_common();
    more();
    return 0;
}
