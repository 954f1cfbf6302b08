/*
 * tests/linux/c/udp.c - UDP over loopback, IPv4 and IPv6: sendto and
 * recvfrom with the sender's name, datagram boundaries, MSG_PEEK and
 * MSG_TRUNC, zero-length datagrams, connect (a default destination and a
 * filter on senders), ECONNREFUSED on the call after a datagram to a port
 * with nobody, sendmsg/recvmsg, a blocked receive woken by a datagram,
 * SO_RCVTIMEO, shutdown, SO_REUSEADDR, poll, sendmmsg/recvmmsg, readv, and
 * MSG_MORE's gathering of sends into one datagram, and the flags that a
 * send or a receive passes over.  No port the system
 * chose is printed.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define SA(a) ((struct sockaddr *)&(a))

static struct sockaddr_in v4(const char *addr, int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, addr, &a.sin_addr);
    return a;
}

static int port_of(int fd)
{
    struct sockaddr_in6 s;
    socklen_t len = sizeof s;
    getsockname(fd, SA(s), &len);
    return ntohs(s.sin6_port); /* sin_port is at the same place */
}

static int bound4(const char *addr)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = v4(addr, 0);
    if (bind(s, SA(a), sizeof a) < 0)
        printf("bind: %s\n", strerror(errno));
    return s;
}

/* MSG_MORE: the sends gather into one datagram, sent by the first send
 * without it, to the first one's address; nothing arrives meanwhile; a
 * gathering past the largest datagram is EMSGSIZE and is dropped; a
 * close drops what was gathered. */
static void corked(void)
{
    int r = bound4("127.0.0.1"), r2 = bound4("127.0.0.1"), s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = v4("127.0.0.1", port_of(r)), to2 = v4("127.0.0.1", port_of(r2));
    static char buf[70000], in[70000];
    memset(buf, 'm', sizeof buf);
    CHECK(sendto(s, "ab", 2, MSG_MORE, SA(to), sizeof to));
    CHECK(recv(r, in, sizeof in, MSG_DONTWAIT));
    CHECK(sendto(s, "cd", 2, MSG_MORE, SA(to2), sizeof to2));
    CHECK(send(s, "ef", 2, MSG_MORE));
    CHECK(sendto(s, "gh", 2, 0, SA(to2), sizeof to2));
    long n = recv(r, in, sizeof in, MSG_DONTWAIT);
    printf("first: %ld \"%.*s\"\n", n, n > 0 ? (int)n : 0, in);
    CHECK(recv(r2, in, sizeof in, MSG_DONTWAIT));
    CHECK(sendto(s, buf, 40000, MSG_MORE, SA(to), sizeof to));
    CHECK(sendto(s, buf, 30000, MSG_MORE, SA(to), sizeof to));
    CHECK(sendto(s, "ij", 2, 0, SA(to), sizeof to));
    n = recv(r, in, sizeof in, MSG_DONTWAIT);
    printf("after EMSGSIZE: %ld \"%.*s\"\n", n, n > 0 ? (int)n : 0, in);
    CHECK(connect(s, SA(to), sizeof to));
    struct iovec iov[2] = {{"kl", 2}, {"mn", 2}};
    struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2};
    CHECK(sendmsg(s, &m, MSG_MORE));
    CHECK(write(s, "op", 2));
    n = recv(r, in, sizeof in, MSG_DONTWAIT);
    printf("sendmsg then write: %ld \"%.*s\"\n", n, n > 0 ? (int)n : 0, in);
    CHECK(send(s, "qr", 2, MSG_MORE));
    close(s);
    CHECK(recv(r, in, sizeof in, MSG_DONTWAIT));
    close(r), close(r2);
}

/* The flags: a receive passes over those it does not use (MSG_OOB,
 * MSG_EOR ...) and finds the error queue empty (MSG_ERRQUEUE: EAGAIN); a
 * send refuses MSG_OOB alone, after a length past 65535. */
static void flagged(void)
{
    int r = bound4("127.0.0.1"), s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = v4("127.0.0.1", port_of(r));
    static char b[70000];
    CHECK(recv(r, b, 16, MSG_DONTWAIT | MSG_ERRQUEUE));
    CHECK(recv(r, b, 16, MSG_DONTWAIT | MSG_OOB));
    CHECK(recv(r, b, 16, MSG_DONTWAIT | MSG_EOR | MSG_NOSIGNAL | MSG_CONFIRM));
    CHECK(sendto(s, "x", 1, 0, SA(to), sizeof to));
    CHECK(recv(r, b, 16, MSG_ERRQUEUE));
    CHECK(recv(r, b, 16, MSG_OOB));
    CHECK(sendto(s, "x", 1, MSG_CONFIRM, SA(to), sizeof to));
    CHECK(sendto(s, "x", 1, MSG_EOR | MSG_DONTROUTE, SA(to), sizeof to));
    CHECK(sendto(s, "x", 1, MSG_OOB, SA(to), sizeof to));
    CHECK(sendto(s, b, 66000, MSG_OOB, SA(to), sizeof to));
    CHECK(recv(r, b, 16, MSG_DONTWAIT));
    CHECK(recv(r, b, 16, MSG_DONTWAIT));
    CHECK(recv(r, b, 16, MSG_DONTWAIT));
    close(r), close(s);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int a = bound4("127.0.0.1"), b = bound4("0.0.0.0");
    char buf[64];
    int v = -1;
    socklen_t vl = sizeof v;
    CHECK(getsockopt(a, SOL_SOCKET, SO_TYPE, &v, &vl));
    CHECK(v);
    CHECK(getsockopt(a, SOL_SOCKET, SO_PROTOCOL, &v, &vl));
    CHECK(v);
    struct sockaddr_in tob = v4("127.0.0.1", port_of(b)), toa = v4("127.0.0.1", port_of(a)), from;
    CHECK(sendto(a, "one", 3, 0, SA(tob), sizeof tob));
    CHECK(sendto(a, "second", 6, 0, SA(tob), sizeof tob));
    CHECK(sendto(a, "", 0, 0, SA(tob), sizeof tob));
    socklen_t len = sizeof from;
    memset(buf, 0, sizeof buf);
    CHECK(recvfrom(b, buf, sizeof buf, MSG_PEEK, SA(from), &len));
    CHECK(recvfrom(b, buf, sizeof buf, 0, SA(from), &len));
    printf("got %s len %u from port a %d addr %s\n", buf, (unsigned)len, ntohs(from.sin_port) == port_of(a),
           inet_ntoa(from.sin_addr));
    CHECK(recv(b, buf, 2, 0));
    CHECK(recv(b, buf, sizeof buf, MSG_DONTWAIT));
    CHECK(recv(b, buf, sizeof buf, MSG_DONTWAIT));
    CHECK(sendto(a, "truncated", 9, 0, SA(tob), sizeof tob));
    CHECK(recv(b, buf, 3, MSG_TRUNC));
    struct iovec iov[2] = {{buf, 2}, {buf + 2, 3}};
    struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = iov, .msg_iovlen = 2};
    CHECK(sendto(a, "message", 7, 0, SA(tob), sizeof tob));
    CHECK(recvmsg(b, &m, 0));
    CHECK(m.msg_flags == MSG_TRUNC);
    CHECK(m.msg_namelen);
    struct msghdr sm = {.msg_name = &tob, .msg_namelen = sizeof tob, .msg_iov = iov, .msg_iovlen = 2};
    CHECK(sendmsg(a, &sm, 0));
    CHECK(recv(b, buf, sizeof buf, 0));
    /* errors of sending */
    CHECK(send(a, "x", 1, 0));
    CHECK(sendto(a, "x", 1, 0, SA(tob), 4));
    struct sockaddr_in bad = v4("127.0.0.1", 0);
    CHECK(sendto(a, "x", 1, 0, SA(bad), sizeof bad));
    CHECK(recv(a, buf, sizeof buf, MSG_DONTWAIT));
    /* unbound: the first send binds a port of its own */
    int c = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(port_of(c));
    CHECK(sendto(c, "auto", 4, 0, SA(toa), sizeof toa));
    CHECK(port_of(c) > 0);
    len = sizeof from;
    CHECK(recvfrom(a, buf, sizeof buf, 0, SA(from), &len));
    CHECK(ntohs(from.sin_port) == port_of(c));
    /* connect: a default destination, and only its datagrams come */
    CHECK(connect(c, SA(tob), sizeof tob));
    CHECK(send(c, "conn", 4, 0));
    CHECK(recv(b, buf, sizeof buf, 0));
    struct sockaddr_in toc = v4("127.0.0.1", port_of(c));
    CHECK(sendto(a, "filtered", 8, 0, SA(toc), sizeof toc));
    CHECK(sendto(b, "fromb", 5, 0, SA(toc), sizeof toc));
    CHECK(recv(c, buf, sizeof buf, MSG_DONTWAIT));
    CHECK(recv(c, buf, sizeof buf, MSG_DONTWAIT));
    struct sockaddr_in peer;
    len = sizeof peer;
    CHECK(getpeername(c, SA(peer), &len));
    CHECK(ntohs(peer.sin_port) == port_of(b));
    /* AF_UNSPEC dissolves the association */
    struct sockaddr unspec = {.sa_family = AF_UNSPEC};
    CHECK(connect(c, &unspec, sizeof unspec));
    CHECK(getpeername(c, SA(peer), &len));
    CHECK(send(c, "x", 1, 0));
    /* a datagram to a port with nobody: ECONNREFUSED for a connected socket's next call */
    int gone = bound4("127.0.0.1");
    struct sockaddr_in togone = v4("127.0.0.1", port_of(gone));
    close(gone);
    CHECK(sendto(a, "lost", 4, 0, SA(togone), sizeof togone));
    CHECK(recv(a, buf, sizeof buf, MSG_DONTWAIT));
    CHECK(connect(c, SA(togone), sizeof togone));
    CHECK(send(c, "lost", 4, 0));
    struct pollfd p = {c, POLLIN | POLLOUT, 0};
    CHECK(poll(&p, 1, 0));
    CHECK(p.revents);
    CHECK(send(c, "lost", 4, 0));
    CHECK(send(c, "lost", 4, 0));
    CHECK(recv(c, buf, sizeof buf, MSG_DONTWAIT));
    v = -1;
    CHECK(getsockopt(c, SOL_SOCKET, SO_ERROR, &v, &vl));
    CHECK(v);
    close(c);
    /* a blocked receive, woken by a datagram */
    if (fork() == 0) {
        usleep(30000);
        sendto(a, "wake", 4, 0, SA(tob), sizeof tob);
        _exit(0);
    }
    p = (struct pollfd){b, POLLIN, 0};
    CHECK(poll(&p, 1, 0));
    memset(buf, 0, sizeof buf);
    CHECK(recv(b, buf, sizeof buf, 0));
    printf("woke with %s\n", buf);
    wait(NULL);
    /* SO_RCVTIMEO: EAGAIN when nothing came */
    struct timeval tv = {0, 50000};
    CHECK(setsockopt(b, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    CHECK(recv(b, buf, sizeof buf, 0));
    /* shutdown: a receive ends at once */
    CHECK(shutdown(b, SHUT_RD));
    CHECK(recv(b, buf, sizeof buf, 0));
    CHECK(shutdown(a, SHUT_WR));
    CHECK(sendto(a, "x", 1, MSG_NOSIGNAL, SA(tob), sizeof tob));
    /* bind errors; SO_REUSEADDR shares a port */
    int d = socket(AF_INET, SOCK_DGRAM, 0), e = socket(AF_INET, SOCK_DGRAM, 0), one = 1;
    struct sockaddr_in samea = v4("127.0.0.1", port_of(a));
    CHECK(bind(d, SA(samea), sizeof samea));
    CHECK(setsockopt(d, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
    CHECK(setsockopt(e, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
    struct sockaddr_in lo = v4("127.0.0.1", 0);
    CHECK(bind(d, SA(lo), sizeof lo));
    struct sockaddr_in samed = v4("127.0.0.1", port_of(d));
    CHECK(bind(e, SA(samed), sizeof samed));
    CHECK(listen(d, 1));
    CHECK(accept(d, NULL, NULL));
    close(a), close(b), close(d), close(e);
    /* sendmmsg and recvmmsg: several datagrams a call */
    int m1 = bound4("127.0.0.1"), m2 = bound4("127.0.0.1");
    struct sockaddr_in tom2 = v4("127.0.0.1", port_of(m2));
    char bufs[4][16];
    struct iovec iovs[4];
    struct mmsghdr mm[4];
    memset(mm, 0, sizeof mm);
    const char *texts[3] = {"first", "second!", "third"};
    for (int i = 0; i < 3; i++) {
        iovs[i] = (struct iovec){(void *)texts[i], strlen(texts[i])};
        mm[i].msg_hdr =
            (struct msghdr){.msg_name = &tom2, .msg_namelen = sizeof tom2, .msg_iov = &iovs[i], .msg_iovlen = 1};
    }
    CHECK(sendmmsg(m1, mm, 3, 0));
    printf("msg_len %u %u %u\n", mm[0].msg_len, mm[1].msg_len, mm[2].msg_len);
    memset(mm, 0, sizeof mm);
    for (int i = 0; i < 4; i++) {
        iovs[i] = (struct iovec){bufs[i], 6};
        mm[i].msg_hdr = (struct msghdr){.msg_iov = &iovs[i], .msg_iovlen = 1};
    }
    CHECK(recvmmsg(m2, mm, 4, MSG_DONTWAIT, NULL));
    printf("msg_len %u %u %u, flags %d %d, %.5s %.6s %.5s\n", mm[0].msg_len, mm[1].msg_len, mm[2].msg_len,
           mm[0].msg_hdr.msg_flags, mm[1].msg_hdr.msg_flags, bufs[0], bufs[1], bufs[2]);
    CHECK(recvmmsg(m2, mm, 4, MSG_DONTWAIT, NULL));
    if (fork() == 0) {
        usleep(30000);
        sendto(m1, "late", 4, 0, SA(tom2), sizeof tom2);
        _exit(0);
    }
    CHECK(recvmmsg(m2, mm, 4, MSG_WAITFORONE, NULL));
    wait(NULL);
    CHECK(syscall(SYS_sendmmsg, m1, 8, 1, 0)); /* musl's wrappers would touch the vector first */
    CHECK(syscall(SYS_recvmmsg, m2, 8, 1, MSG_DONTWAIT, 0));
    /* readv: one datagram across the buffers, now or when it comes */
    char ra[3] = {0}, rb[8] = {0};
    struct iovec rv[2] = {{ra, 2}, {rb, 7}};
    CHECK(sendto(m1, "spread", 6, 0, SA(tom2), sizeof tom2));
    CHECK(readv(m2, rv, 2));
    printf("readv %s|%s\n", ra, rb);
    if (fork() == 0) {
        usleep(30000);
        sendto(m1, "waited", 6, 0, SA(tom2), sizeof tom2);
        _exit(0);
    }
    memset(rb, 0, sizeof rb);
    CHECK(readv(m2, rv, 2));
    printf("readv %s|%s\n", ra, rb);
    wait(NULL);
    /* writev: one datagram; a read of nothing takes nothing */
    struct iovec wv[2] = {{"ab", 2}, {"cd", 2}};
    CHECK(writev(m1, wv, 2));
    CHECK(connect(m1, SA(tom2), sizeof tom2));
    CHECK(writev(m1, wv, 2));
    CHECK(read(m2, buf, 0));
    CHECK(recv(m2, buf, sizeof buf, 0));
    CHECK(recv(m2, buf, sizeof buf, MSG_DONTWAIT));
    close(m1), close(m2);
    /* IPv6 */
    int s6 = socket(AF_INET6, SOCK_DGRAM, 0), t6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 any6 = {.sin6_family = AF_INET6}, to6 = {.sin6_family = AF_INET6}, from6;
    CHECK(bind(s6, SA(any6), sizeof any6));
    to6.sin6_addr = in6addr_loopback;
    to6.sin6_port = htons((uint16_t)port_of(s6));
    CHECK(sendto(t6, "six", 3, 0, SA(to6), sizeof to6));
    len = sizeof from6;
    CHECK(recvfrom(s6, buf, sizeof buf, 0, SA(from6), &len));
    CHECK(len);
    CHECK(IN6_IS_ADDR_LOOPBACK(&from6.sin6_addr));
    /* a v4 datagram to the v6 wildcard: the sender's name is mapped */
    int u4 = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to4 = v4("127.0.0.1", port_of(s6));
    CHECK(sendto(u4, "four", 4, 0, SA(to4), sizeof to4));
    len = sizeof from6;
    CHECK(recvfrom(s6, buf, sizeof buf, 0, SA(from6), &len));
    char text[64];
    printf("from %s\n", inet_ntop(AF_INET6, &from6.sin6_addr, text, sizeof text));
    close(s6), close(t6), close(u4);
    corked();
    flagged();
    return 0;
}
