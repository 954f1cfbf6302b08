/*
 * tests/linux/c/sockerrs.c - the socket calls' error paths as Linux orders
 * them: a bad descriptor, a file not a socket, a bad buffer or length,
 * an unknown level or option (getsockopt reads the length before it looks
 * at the option), socketpair of a family without pairs (socket(2)'s own
 * errors first), bind, listen, accept, connect (EISCONN before a short
 * name), shutdown, and the send and receive calls' flags (TCP's empty
 * error queue and missing urgent data, a nonblocking receive on a UDP
 * socket shut for reading); then the SOL_SOCKET options that are kept as
 * set (SO_OOBINLINE, SO_BROADCAST, SO_PRIORITY ...) and SO_PEERNAME;
 * then sendmsg's and recvmsg's cases and sendmmsg's and recvmmsg's errors;
 * and what a process without privileges may not do.
 */
#define _GNU_SOURCE
#include "check.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <sys/un.h>

#define BAD ((void *)1)
#define BADP ((void *)-1)
#pragma GCC diagnostic ignored "-Wstringop-overflow" /* socketpair of a bad address, on purpose */

static void errors(void)
{
    int optval = 1; socklen_t ol = sizeof optval;
    int devnull = open("/dev/null", O_WRONLY);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct sockaddr_in any = {.sin_family = AF_INET};
    socklen_t sl = sizeof sin;
    int s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(bind(s, (void *)&any, sizeof any));
    /* setsockopt01 */
    CHECK(setsockopt(400, SOL_SOCKET, SO_OOBINLINE, &optval, sizeof optval));
    CHECK(setsockopt(devnull, SOL_SOCKET, SO_OOBINLINE, &optval, sizeof optval));
    CHECK(setsockopt(s, SOL_SOCKET, SO_OOBINLINE, 0, sizeof optval));
    CHECK(setsockopt(s, SOL_SOCKET, SO_OOBINLINE, &optval, 0));
    CHECK(setsockopt(s, 500, SO_OOBINLINE, &optval, sizeof optval));
    CHECK(setsockopt(s, IPPROTO_UDP, SO_OOBINLINE, &optval, sizeof optval));
    CHECK(setsockopt(s, IPPROTO_IP, -1, &optval, sizeof optval));
    CHECK(setsockopt(s, IPPROTO_TCP, -1, &optval, sizeof optval));
    /* getsockopt01 */
    CHECK(getsockopt(400, SOL_SOCKET, SO_OOBINLINE, &optval, &ol));
    CHECK(getsockopt(devnull, SOL_SOCKET, SO_OOBINLINE, &optval, &ol));
    CHECK(getsockopt(s, SOL_SOCKET, SO_OOBINLINE, 0, &ol));
    CHECK(getsockopt(s, SOL_SOCKET, SO_OOBINLINE, &optval, 0));
    ol = -1; CHECK(getsockopt(s, SOL_SOCKET, SO_OOBINLINE, &optval, &ol)); ol = sizeof optval;
    CHECK(getsockopt(s, 500, SO_OOBINLINE, &optval, &ol));
    CHECK(getsockopt(s, IPPROTO_UDP, SO_OOBINLINE, &optval, &ol));
    CHECK(getsockopt(s, IPPROTO_IP, -1, &optval, &ol));
    CHECK(getsockopt(s, IPPROTO_TCP, -1, &optval, &ol));
    char pn[64]; socklen_t pl = sizeof pn;
    CHECK(getsockopt(s, SOL_SOCKET, SO_PEERNAME, pn, &pl));
    ol = 0; CHECK(getsockopt(s, SOL_SOCKET, SO_OOBINLINE, &optval, &ol)); printf("ol=%d\n", ol); ol = sizeof optval;
    ol = 2; CHECK(getsockopt(s, SOL_SOCKET, SO_OOBINLINE, &optval, &ol)); printf("ol=%d\n", ol); ol = sizeof optval;
    /* socket01 */
    CHECK(socket(0, SOCK_STREAM, 0));
    CHECK(socket(9999, SOCK_STREAM, 0));
    CHECK(socket(PF_INET, SOCK_DGRAM, IPPROTO_TCP));
    CHECK(socket(PF_INET, SOCK_STREAM, IPPROTO_UDP));
    CHECK(socket(PF_UNIX, SOCK_STREAM, 6));
    CHECK(socket(PF_INET, 75, 0));
    CHECK(socket(PF_UNIX, 75, 0));
    CHECK(socket(PF_UNIX, SOCK_RAW, 0) >= 0);
    CHECK(socket(PF_INET, SOCK_RAW, 0));
    CHECK(socket(PF_INET, SOCK_SEQPACKET, 0));
    CHECK(socket(PF_INET, SOCK_STREAM, IPPROTO_ICMP));
    CHECK(socket(PF_INET, SOCK_STREAM | 0x40000000, 0));
    /* socketpair01 */
    int sv[2];
    CHECK(socketpair(0, SOCK_STREAM, 0, sv));
    CHECK(socketpair(PF_INET, SOCK_DGRAM, 17, sv));
    CHECK(socketpair(PF_INET, SOCK_STREAM, 6, sv));
    CHECK(socketpair(PF_UNIX, 0, 0, sv));
    CHECK(socketpair(PF_UNIX, SOCK_STREAM, 0, BAD));
    CHECK(socketpair(PF_UNIX, SOCK_STREAM, 0, (int *)-1));
    CHECK(socketpair(PF_UNIX, SOCK_DGRAM, 6, sv));
    CHECK(socketpair(PF_UNIX, SOCK_STREAM, 17, sv));
    CHECK(socketpair(PF_INET, SOCK_STREAM, 0, sv));
    CHECK(socketpair(PF_INET, SOCK_DGRAM, 0, sv));
    CHECK(socketpair(PF_UNIX, SOCK_RAW, 0, sv));
    CHECK(socketpair(PF_INET, SOCK_RAW, 0, sv));
    /* bind01 */
    int u = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(bind(400, (void *)&sin, sizeof sin));
    CHECK(bind(u, BAD, sizeof sin));
    CHECK(bind(u, (void *)&sin, 3));
    CHECK(bind(u, (void *)&sin, sizeof sin + 100));
    CHECK(bind(s, (void *)&sin, sizeof sin));
    CHECK(bind(devnull, (void *)&sin, sizeof sin));
    struct sockaddr_in far = {.sin_family = AF_INET, .sin_addr.s_addr = inet_addr("10.255.254.253")};
    CHECK(bind(u, (void *)&far, sizeof far));
    struct sockaddr_in unspec = {.sin_family = AF_UNSPEC, .sin_addr.s_addr = inet_addr("10.255.254.253")};
    CHECK(bind(u, (void *)&unspec, sizeof unspec));
    struct sockaddr_in fam6 = {.sin_family = AF_INET6};
    CHECK(bind(u, (void *)&fam6, sizeof fam6));
    unspec.sin_addr.s_addr = 0;
    CHECK(bind(u, (void *)&unspec, sizeof unspec));
    close(u);
    /* listen01 */
    CHECK(listen(400, 0));
    CHECK(listen(devnull, 0));
    int d = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(listen(d, 0));
    /* accept01 */
    struct sockaddr_in fs; socklen_t fl = sizeof fs;
    CHECK(accept(400, (void *)&fs, &fl));
    CHECK(accept(devnull, (void *)&fs, &fl));
    CHECK(accept(s, BAD, &fl));
    CHECK(accept(s, (void *)&fs, &fl));
    CHECK(accept(d, (void *)&fs, &fl));
    CHECK(listen(s, 5)); fcntl(s, F_SETFL, O_NONBLOCK);
    CHECK(accept(s, (void *)&fs, BAD));
    fl = -1; CHECK(accept4(s, (void *)&fs, &fl, SOCK_NONBLOCK)); fl = sizeof fs;
    CHECK(accept4(s, (void *)&fs, &fl, 0x1234));
    CHECK(accept4(s, (void *)&fs, &fl, SOCK_NONBLOCK));
    /* getsockname01 */
    CHECK(getsockname(400, (void *)&fs, &fl));
    CHECK(getsockname(devnull, (void *)&fs, &fl));
    CHECK(getsockname(s, BAD, &fl));
    CHECK(getsockname(s, (void *)&fs, BAD));
    CHECK(getsockname(s, (void *)&fs, 0));
    fl = -1; CHECK(getsockname(s, (void *)&fs, &fl)); fl = sizeof fs;
    fl = 3; CHECK(getsockname(s, (void *)&fs, &fl)); printf("fl=%d\n", fl); fl = sizeof fs;
    /* getpeername01 */
    CHECK(getpeername(400, (void *)&fs, &fl));
    CHECK(getpeername(devnull, (void *)&fs, &fl));
    CHECK(getpeername(s, (void *)&fs, &fl));
    CHECK(getpeername(d, (void *)&fs, &fl));
    int c = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(getsockname(s, (void *)&sin, &sl));
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(connect(c, (void *)&sin, sizeof sin));
    CHECK(getpeername(c, BAD, &fl));
    CHECK(getpeername(c, (void *)&fs, BAD));
    fl = -1; CHECK(getpeername(c, (void *)&fs, &fl)); fl = sizeof fs;
    /* connect01 */
    CHECK(connect(400, (void *)&sin, sizeof sin));
    CHECK(connect(devnull, (void *)&sin, sizeof sin));
    CHECK(connect(c, BAD, sizeof sin));
    CHECK(connect(c, (void *)&sin, sizeof sin));
    CHECK(connect(c, (void *)&sin, 3));
    int c2 = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(connect(c2, (void *)&sin, 3));
    CHECK(connect(c2, (void *)&fam6, sizeof fam6));
    struct sockaddr_in closed = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK), .sin_port = htons(1)};
    CHECK(connect(c2, (void *)&closed, sizeof closed));
    CHECK(connect(s, (void *)&closed, sizeof closed));
    /* shutdown */
    CHECK(shutdown(400, SHUT_RD));
    CHECK(shutdown(devnull, SHUT_RD));
    CHECK(shutdown(c, 7));
    CHECK(shutdown(c2, SHUT_RD));
    CHECK(shutdown(d, SHUT_RD));

    /* send/recv errors */
    static char buf[128 * 1024 + 16] = "hello";
    CHECK(send(400, buf, 5, 0));
    CHECK(send(devnull, buf, 5, 0));
    CHECK(send(c2, buf, 5, 0));
    CHECK(send(c, BAD, 5, 0));
    CHECK(sendto(d, buf, 5, 0, (void *)&sin, 3));
    CHECK(sendto(d, buf, 5, 0, BAD, sizeof sin));
    CHECK(sendto(d, buf, 128 * 1024, 0, (void *)&sin, sizeof sin));
    CHECK(sendto(d, buf, 5, 0, NULL, 0));
    CHECK(sendto(d, buf, 5, -1, (void *)&sin, sizeof sin));
    CHECK(sendto(d, buf, 5, MSG_OOB, (void *)&sin, sizeof sin));
    CHECK(recv(400, buf, 5, 0));
    CHECK(recv(devnull, buf, 5, 0));
    CHECK(recv(c, buf, 5, MSG_DONTWAIT));
    CHECK(recv(c, buf, 5, MSG_OOB));
    CHECK(recv(c, buf, 5, MSG_ERRQUEUE));
    CHECK(recv(c, buf, 5, -1));
    CHECK(recvfrom(d, buf, 5, MSG_DONTWAIT, (void *)&fs, BAD));
    fl = -1; CHECK(recvfrom(d, buf, 5, MSG_DONTWAIT, (void *)&fs, &fl)); fl = sizeof fs;
    CHECK(recvfrom(d, buf, 5, MSG_DONTWAIT, BAD, &fl));
    struct msghdr mh = {0};
    struct iovec iov = {buf, 5};
    mh.msg_iov = &iov; mh.msg_iovlen = 1;

    mh.msg_iovlen = -1; CHECK(sendmsg(c, &mh, 0)); mh.msg_iovlen = 1;
    mh.msg_iovlen = 2000; CHECK(sendmsg(c, &mh, 0)); mh.msg_iovlen = 1;
    mh.msg_iov = BAD; CHECK(sendmsg(c, &mh, 0)); mh.msg_iov = &iov;

    char cb[64] = {0}; mh.msg_control = cb; mh.msg_controllen = 3; CHECK(sendmsg(c, &mh, 0));
    struct cmsghdr *cm = (void *)cb; cm->cmsg_len = 200; cm->cmsg_level = SOL_SOCKET; cm->cmsg_type = SCM_RIGHTS;
    mh.msg_controllen = 64; CHECK(sendmsg(c, &mh, 0));
    mh.msg_control = 0; mh.msg_controllen = 0;
    mh.msg_name = &sin; mh.msg_namelen = 3; CHECK(sendmsg(d, &mh, 0));
    mh.msg_name = BAD; mh.msg_namelen = sizeof sin; CHECK(sendmsg(d, &mh, 0));
    mh.msg_name = 0; mh.msg_namelen = 0; CHECK(sendmsg(d, &mh, 0));

    mh.msg_iovlen = -1; CHECK(recvmsg(c, &mh, MSG_DONTWAIT)); mh.msg_iovlen = 1;
    mh.msg_iovlen = 2000; CHECK(recvmsg(c, &mh, MSG_DONTWAIT)); mh.msg_iovlen = 1;
    CHECK(recvmsg(c, &mh, MSG_OOB));
    CHECK(recvmsg(c, &mh, MSG_ERRQUEUE));
    CHECK(recvmsg(c, &mh, MSG_DONTWAIT));
    CHECK(recvmsg(d, &mh, MSG_DONTWAIT));
    CHECK(shutdown(s, SHUT_RD));
}

static void options(void)
{
    int fds[3] = {socket(AF_INET, SOCK_STREAM, 0), socket(AF_INET, SOCK_DGRAM, 0), socket(AF_UNIX, SOCK_STREAM, 0)};
    int opts[] = {SO_OOBINLINE, SO_BROADCAST, SO_DONTROUTE, SO_NO_CHECK, SO_PRIORITY, SO_DEBUG, SO_SNDLOWAT,
                  SO_SNDBUFFORCE, SO_RCVBUFFORCE};
    int vals[] = {0, 1, 5, 7, 100000, -1};
    for (int i = 0; i < 3; i++)
        for (unsigned o = 0; o < sizeof opts / sizeof *opts; o++) {
            int v;
            socklen_t l = sizeof v;
            int r = getsockopt(fds[i], SOL_SOCKET, opts[o], &v, &l);
            printf("socket %d option %d: get %d %s v=%d l=%d\n", i, opts[o], r, r < 0 ? errno_name(errno) : "",
                   r < 0 ? 0 : v, l);
            for (unsigned k = 0; k < sizeof vals / sizeof *vals; k++) {
                r = setsockopt(fds[i], SOL_SOCKET, opts[o], &vals[k], sizeof(int));
                int e = errno;
                l = sizeof v, v = -99;
                int g = getsockopt(fds[i], SOL_SOCKET, opts[o], &v, &l);
                printf("  set %d: %d %s -> %d v=%d\n", vals[k], r, r < 0 ? errno_name(e) : "", g, v);
            }
        }
    int v = 1;
    socklen_t l = sizeof v;
    CHECK(getsockopt(fds[2], SOL_IP, IP_TOS, &v, &l));
    CHECK(getsockopt(fds[2], 500, 1, &v, &l));
    CHECK(setsockopt(fds[2], 500, 1, &v, l));
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    char pn[128];
    l = sizeof pn;
    CHECK(getsockopt(sv[0], SOL_SOCKET, SO_PEERNAME, pn, &l));
    l = 2;
    CHECK(getsockopt(sv[0], SOL_SOCKET, SO_PEERNAME, pn, &l));
    printf("l=%d family=%d\n", l, ((struct sockaddr *)pn)->sa_family);
    l = 1;
    CHECK(getsockopt(sv[0], SOL_SOCKET, SO_PEERNAME, pn, &l));
    printf("l=%d\n", l);
    l = 1;
    CHECK(getsockopt(sv[0], SOL_SOCKET, 9999, pn, &l));
    l = -1;
    CHECK(getsockopt(sv[0], SOL_SOCKET, 9999, pn, &l));
    CHECK(getsockopt(sv[0], SOL_SOCKET, 9999, pn, 0));
    CHECK(getsockopt(fds[0], SOL_IP, 9999, pn, 0));
    CHECK(getsockopt(fds[0], IPPROTO_TCP, 9999, pn, 0));
    CHECK(getsockopt(fds[1], SOL_IP, IP_TOS, 0, &l));
    l = -1;
    CHECK(getsockopt(fds[1], SOL_IP, 9999, pn, &l));
    CHECK(getsockopt(fds[1], SOL_SOCKET, SO_PEERNAME, pn, &l));
    /* a connected TCP socket's peer, as getpeername gives it */
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)}, b;
    socklen_t al = sizeof a, bl = sizeof b;
    int ls = socket(AF_INET, SOCK_STREAM, 0), cs = socket(AF_INET, SOCK_STREAM, 0);
    bind(ls, (struct sockaddr *)&a, sizeof a), listen(ls, 1), getsockname(ls, (struct sockaddr *)&a, &al);
    CHECK(connect(cs, (struct sockaddr *)&a, sizeof a));
    l = sizeof b;
    CHECK(getsockopt(cs, SOL_SOCKET, SO_PEERNAME, &b, &l));
    printf("l=%d same=%d\n", l, memcmp(&a, &b, sizeof a) == 0);
    l = sizeof pn;
    CHECK(getsockopt(cs, SOL_SOCKET, SO_PEERNAME, pn, &l));
    (void)bl;
}

/* sendmsg's and recvmsg's cases: a bad buffer, name, vector or header,
 * a datagram too big, flags, control messages (another level's passed
 * over, a bad length, type or descriptor), and sendmmsg's and recvmmsg's
 * errors. */
static void messages(void)
{
    static char buf[1024], bigbuf[128 * 1024];
    unlink("us");
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sl = sizeof sin;
    int l = socket(AF_INET, SOCK_STREAM, 0);
    bind(l, (void *)&sin, sizeof sin); listen(l, 10); getsockname(l, (void *)&sin, &sl);
    struct sockaddr_un sun = {.sun_family = AF_UNIX, .sun_path = "us"};
    int u = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK(bind(u, (void *)&sun, sizeof sun));
    struct iovec iov = {buf, sizeof buf};
    struct msghdr m = {0};
    m.msg_iov = &iov; m.msg_iovlen = 1;
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    iov.iov_base = BADP; m.msg_name = &sin; m.msg_namelen = sizeof sin;
    CHECK(sendmsg(s, &m, 0)); iov.iov_base = buf;
    m.msg_namelen = 1; CHECK(sendmsg(s, &m, 0)); m.msg_namelen = sizeof sin;
    m.msg_name = BADP; m.msg_namelen = sizeof(struct sockaddr); CHECK(sendmsg(s, &m, 0)); m.msg_name = &sin; m.msg_namelen = sizeof sin;
    iov.iov_base = bigbuf; iov.iov_len = sizeof bigbuf; CHECK(sendmsg(s, &m, 0)); iov.iov_base = buf; iov.iov_len = sizeof buf;
    CHECK(sendmsg(s, &m, MSG_OOB));
    CHECK(syscall(SYS_sendmsg, s, NULL, 0));
    CHECK(syscall(SYS_recvmsg, s, NULL, MSG_DONTWAIT));
    close(s);
    int t = socket(AF_INET, SOCK_STREAM, 0);
    m.msg_name = 0; m.msg_namelen = 0;
    CHECK(sendmsg(t, &m, 0));
    CHECK(connect(t, (void *)&sin, sizeof sin));
    int a = accept(l, 0, 0);
    CHECK(sendmsg(t, &m, 0));
    m.msg_iov = NULL; CHECK(sendmsg(t, &m, 0)); m.msg_iov = &iov;
    struct sockaddr_in other = sin; other.sin_port = htons(1);
    m.msg_name = &other; m.msg_namelen = sizeof other; CHECK(sendmsg(t, &m, 0)); m.msg_name = 0; m.msg_namelen = 0;
    CHECK(shutdown(t, SHUT_WR));
    CHECK(sendmsg(t, &m, 0));
    CHECK(recvmsg(a, &m, MSG_DONTWAIT));
    /* unix dgram rights */
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    char cbuf[256] = {0};
    struct cmsghdr *c = (void *)cbuf;
    int tfd = open("tf", O_CREAT | O_RDWR, 0600);
    c->cmsg_len = sizeof(struct cmsghdr) + 4; c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS;
    *(int *)CMSG_DATA(c) = tfd;
    m.msg_name = &sun; m.msg_namelen = sizeof sun; m.msg_control = cbuf; m.msg_controllen = c->cmsg_len;
    CHECK(sendmsg(d, &m, 0));
    CHECK(sendmsg(d, &m, ~0x80000000));
    CHECK(sendmsg(d, &m, MSG_OOB));
    CHECK(sendmsg(d, &m, MSG_DONTWAIT | MSG_NOSIGNAL | MSG_EOR));
    CHECK(sendmsg(d, &m, MSG_MORE));
    CHECK(sendmsg(d, &m, MSG_CONFIRM));
    c->cmsg_len = 0; m.msg_controllen = 0; CHECK(sendmsg(d, &m, 0));
    c->cmsg_len = 0; m.msg_controllen = sizeof(struct cmsghdr); CHECK(sendmsg(d, &m, 0));
    c->cmsg_len = sizeof(struct cmsghdr) - 4; m.msg_controllen = sizeof(struct cmsghdr) + 8; CHECK(sendmsg(d, &m, 0));
    c->cmsg_len = sizeof(struct cmsghdr) + 4; c->cmsg_type = 99; m.msg_controllen = c->cmsg_len; CHECK(sendmsg(d, &m, 0));
    c->cmsg_type = SCM_RIGHTS; *(int *)CMSG_DATA(c) = 999; CHECK(sendmsg(d, &m, 0));
    c->cmsg_level = 5; CHECK(sendmsg(d, &m, 0)); c->cmsg_level = SOL_SOCKET;
    /* more control than net.core.optmem_max (musl's wrapper takes 1024 bytes at most) */
    m.msg_controllen = 0x7fffffff; CHECK(syscall(SYS_sendmsg, d, &m, 0));
    m.msg_controllen = 1 << 20; CHECK(syscall(SYS_sendmsg, d, &m, 0)); m.msg_controllen = c->cmsg_len;
    *(int *)CMSG_DATA(c) = tfd;
    m.msg_control = 0; m.msg_controllen = 0;
    /* recvmsg of what came */
    char rb[64], rc[256];
    struct iovec riov = {rb, sizeof rb};
    struct msghdr r = {0}; r.msg_iov = &riov; r.msg_iovlen = 1; r.msg_control = rc; r.msg_controllen = sizeof rc;
    for (int i = 0; i < 12; i++) {
        r.msg_controllen = sizeof rc; r.msg_flags = 0;
        long n = recvmsg(u, &r, MSG_DONTWAIT);
        printf("recv %ld %s ctl %ld flags %#x\n", n, n < 0 ? strerror(errno) : "", (long)r.msg_controllen, r.msg_flags);
        if (n < 0) break;
    }
    CHECK(recvmsg(u, &r, MSG_OOB | MSG_DONTWAIT));
    CHECK(recvmsg(u, &r, MSG_ERRQUEUE | MSG_DONTWAIT));
    CHECK(recvmsg(u, &r, MSG_DONTWAIT | MSG_TRUNC));
    r.msg_iov = BADP; CHECK(recvmsg(u, &r, MSG_DONTWAIT)); r.msg_iov = &riov;
    /* mmsg */
    struct mmsghdr mm[2] = {{m, 0}, {m, 0}};
    mm[0].msg_hdr.msg_name = &sun; mm[0].msg_hdr.msg_namelen = sizeof sun;
    mm[1].msg_hdr = mm[0].msg_hdr;
    CHECK(sendmmsg(400, mm, 2, 0));
    CHECK(sendmmsg(tfd, mm, 2, 0));
    CHECK(syscall(SYS_sendmmsg, d, BADP, 2, 0));
    CHECK(sendmmsg(d, mm, 0, 0));
    CHECK(sendmmsg(d, mm, 2, 0));
    CHECK(recvmmsg(400, mm, 2, 0, 0));
    CHECK(recvmmsg(tfd, mm, 2, 0, 0));
    CHECK(syscall(SYS_recvmmsg, u, BADP, 2, MSG_DONTWAIT, 0));
    struct timespec ts = {0, -1};
    CHECK(recvmmsg(u, mm, 2, 0, &ts));
    CHECK(syscall(SYS_recvmmsg, u, mm, 2, 0, BADP)); /* a C library may read the time itself */
    ts.tv_nsec = 1000;
    CHECK(recvmmsg(u, mm, 2, 0, &ts));
    CHECK(recvmmsg(u, mm, 2, MSG_DONTWAIT, 0));
    CHECK(recvmmsg(u, mm, 0, MSG_DONTWAIT, 0));
    unlink("us"), unlink("tf");
}

/* What a process without privileges may not do: a low port, an AF_UNIX
 * name in a directory it may not write, a connect or sendto to a socket
 * node it may not write, a raw or packet socket, the options that want
 * CAP_NET_ADMIN; and a protocol past IPPROTO_MAX. */
static void dropped(void)
{
    CHECK(socket(AF_INET, SOCK_STREAM, 9999));
    CHECK(socket(AF_INET, SOCK_RAW, 9999));
    CHECK(mkdir("rootdir", 0755));
    CHECK(chmod(".", 0755)); /* the user nobody's way in */
    struct sockaddr_un ws = {.sun_family = AF_UNIX, .sun_path = "ws"}, wd = {.sun_family = AF_UNIX, .sun_path = "wd"};
    int ls = socket(AF_UNIX, SOCK_STREAM, 0), ld = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK(bind(ls, (struct sockaddr *)&ws, sizeof ws) + listen(ls, 1) + bind(ld, (struct sockaddr *)&wd, sizeof wd));
    CHECK(chmod("ws", 0755) + chmod("wd", 0755)); /* connect and sendto want write on the node */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        CHECK(setuid(65534));
        int s = socket(AF_INET, SOCK_STREAM, 0), v = 7;
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(999), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        CHECK(bind(s, (struct sockaddr *)&a, sizeof a));
        CHECK(setsockopt(s, SOL_SOCKET, SO_PRIORITY, &v, sizeof v));
        CHECK(setsockopt(s, SOL_SOCKET, SO_DEBUG, &v, sizeof v));
        CHECK(setsockopt(s, SOL_SOCKET, SO_SNDBUFFORCE, &v, sizeof v));
        v = 0;
        CHECK(setsockopt(s, SOL_SOCKET, SO_DEBUG, &v, sizeof v));
        v = 6;
        CHECK(setsockopt(s, SOL_SOCKET, SO_PRIORITY, &v, sizeof v));
        CHECK(socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
        CHECK(socket(AF_INET, SOCK_RAW, 0));
        CHECK(socket(AF_PACKET, SOCK_RAW, 0));
        struct sockaddr_un un = {.sun_family = AF_UNIX, .sun_path = "rootdir/s"};
        int u = socket(AF_UNIX, SOCK_STREAM, 0);
        CHECK(bind(u, (struct sockaddr *)&un, sizeof un));
        int d = socket(AF_UNIX, SOCK_DGRAM, 0);
        CHECK(connect(u, (struct sockaddr *)&ws, sizeof ws));
        CHECK(connect(d, (struct sockaddr *)&ws, sizeof ws)); /* EACCES before the type's EPROTOTYPE */
        CHECK(sendto(d, "x", 1, 0, (struct sockaddr *)&wd, sizeof wd));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    CHECK(chmod("ws", 0777));
    pid = fork();
    if (pid == 0) {
        CHECK(setuid(65534));
        int u = socket(AF_UNIX, SOCK_STREAM, 0), d = socket(AF_UNIX, SOCK_DGRAM, 0);
        CHECK(connect(d, (struct sockaddr *)&ws, sizeof ws));
        CHECK(connect(u, (struct sockaddr *)&ws, sizeof ws));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    close(ls), close(ld), unlink("ws"), unlink("wd");
    CHECK(rmdir("rootdir"));
}

/* The flags of streams (TCP, AF_UNIX): those that change nothing on the
 * loopback are passed over, TCP's MSG_FASTOPEN on a connection is EISCONN. */
static void streamflags(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    int l = socket(AF_INET, SOCK_STREAM, 0);
    bind(l, (struct sockaddr *)&a, sizeof a), listen(l, 1), getsockname(l, (struct sockaddr *)&a, &al);
    int t = socket(AF_INET, SOCK_STREAM, 0);
    connect(t, (struct sockaddr *)&a, sizeof a);
    int u = accept(l, 0, 0), sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int w[2] = {t, sv[0]}, r[2] = {u, sv[1]};
    char b[64];
    for (int i = 0; i < 2; i++) {
        CHECK(send(w[i], "a", 1, MSG_EOR));
        CHECK(send(w[i], "b", 1, MSG_CONFIRM));
        CHECK(send(w[i], "c", 1, MSG_DONTROUTE));
        CHECK(send(w[i], "d", 1, MSG_MORE));
        CHECK(send(w[i], "e", 1, 0));
        CHECK(send(w[i], "f", 1, MSG_FASTOPEN));
        CHECK(send(w[i], "g", 1, MSG_PEEK | MSG_TRUNC | MSG_WAITALL));
        if (i == 0) /* AF_UNIX would send "h" as urgent data, which the reads below do not expect */
            CHECK(send(w[i], "h", 1, -1));
        CHECK(recv(r[i], b, 2, MSG_EOR | MSG_CONFIRM | MSG_NOSIGNAL));
        CHECK(recv(r[i], b, 2, MSG_DONTROUTE | MSG_MORE));
        CHECK(recv(r[i], b, 2, MSG_FASTOPEN));
        CHECK(recv(r[i], b, 2, MSG_OOB | MSG_DONTWAIT));
        CHECK(recv(r[i], b, 64, MSG_DONTWAIT));
    }
    close(l), close(t), close(u), close(sv[0]), close(sv[1]);
}

int main(void)
{
    setvbuf(stdout, 0, _IONBF, 0);
    signal(SIGPIPE, SIG_IGN);
    errors();
    options();
    messages();
    dropped();
    streamflags();
    return 0;
}
