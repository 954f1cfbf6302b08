/*
 * tests/linux/c/inet.c - TCP over loopback, IPv4 and IPv6: socket's
 * errors, bind (ephemeral ports, EADDRINUSE, SO_REUSEADDR, EADDRNOTAVAIL,
 * EACCES below 1024 without the capability), listen, blocking and
 * nonblocking connect (EINPROGRESS then SO_ERROR), ECONNREFUSED, accept
 * and accept4, the names of both ends, data both ways with MSG_PEEK and
 * MSG_DONTWAIT, shutdown and half-close, EPIPE, a reset by a close with
 * data unread, socket options, a v6 wildcard taking v4 connections
 * (IPv4-mapped names) unless IPV6_V6ONLY, and readiness through poll,
 * select and epoll.  No port the system chose is printed, only relations.
 * The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static struct sockaddr_in v4(const char *addr, int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, addr, &a.sin_addr);
    return a;
}

static struct sockaddr_in6 v6(const char *addr, int port)
{
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port)};
    inet_pton(AF_INET6, addr, &a.sin6_addr);
    return a;
}

#define SA(a) ((struct sockaddr *)&(a))

/* A name as getsockname or getpeername gives it: its length, family and
 * address; the port only as "0" or "port" (one the system chose). */
static int show(const char *what, int fd, int peer)
{
    struct sockaddr_storage s;
    socklen_t len = sizeof s;
    char text[64] = "?";
    memset(&s, 0x55, sizeof s);
    if ((peer ? getpeername(fd, SA(s), &len) : getsockname(fd, SA(s), &len)) < 0) {
        printf("%s: %s\n", what, strerror(errno));
        return -1;
    }
    int port;
    if (s.ss_family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)&s;
        inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
        port = ntohs(a->sin_port);
    } else {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&s;
        inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
        port = ntohs(a->sin6_port);
    }
    printf("%s: len %u family %d %s port %s\n", what, (unsigned)len, s.ss_family, text,
           port == 0 ? "0" : port >= 32768 && port <= 60999 ? "ephemeral" : "other");
    return port;
}

/* A socket's own port, or its peer's. */
static int port_at(int fd, int peer)
{
    struct sockaddr_storage s;
    socklen_t len = sizeof s;
    if (peer)
        getpeername(fd, SA(s), &len);
    else
        getsockname(fd, SA(s), &len);
    return ntohs(s.ss_family == AF_INET ? ((struct sockaddr_in *)&s)->sin_port
                                        : ((struct sockaddr_in6 *)&s)->sin6_port);
}

static int port_of(int fd) { return port_at(fd, 0); }
static int peer_port(int fd) { return port_at(fd, 1); }

/* A listener on addr (port 0: one the system chooses). */
static int listener4(const char *addr)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = v4(addr, 0);
    if (bind(s, SA(a), sizeof a) < 0 || listen(s, 8) < 0)
        printf("listener: %s\n", strerror(errno));
    return s;
}

static int connect4(const char *addr, int port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = v4(addr, port);
    if (connect(s, SA(a), sizeof a) < 0)
        printf("connect4: %s\n", strerror(errno));
    return s;
}

static int getint(int fd, int level, int name)
{
    int v = -1;
    socklen_t len = sizeof v;
    if (getsockopt(fd, level, name, &v, &len) < 0)
        return -errno;
    return v;
}

static void creation(void)
{
    int s;
    CHECK((s = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
    close(s);
    CHECK((s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) >= 0);
    close(s);
    CHECK((s = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) >= 0);
    CHECK((fcntl(s, F_GETFL) & O_NONBLOCK) != 0);
    CHECK(fcntl(s, F_GETFD));
    close(s);
    CHECK(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP));
    CHECK(socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP));
    CHECK(socket(AF_INET, SOCK_SEQPACKET, 0));
    CHECK(socket(AF_INET6, SOCK_STREAM, 99));
    CHECK(socket(AF_INET, SOCK_STREAM | 0x100000, 0));
    CHECK(socketpair(AF_INET, SOCK_STREAM, 0, (int[2]){0}));
}

static void binding(void)
{
    int a = socket(AF_INET, SOCK_STREAM, 0), b = socket(AF_INET, SOCK_STREAM, 0);
    show("unbound", a, 0);
    show("unbound peer", a, 1);
    struct sockaddr_in any = v4("127.0.0.1", 0), bad = v4("198.51.100.1", 0);
    CHECK(bind(a, SA(any), 8));
    CHECK(bind(a, (struct sockaddr *)1, sizeof any));
    CHECK(bind(a, SA(bad), sizeof bad));
    struct sockaddr_in6 six = v6("::1", 0);
    CHECK(bind(a, SA(six), sizeof six));
    CHECK(bind(a, SA(any), sizeof any));
    show("bound", a, 0);
    CHECK(bind(a, SA(any), sizeof any));
    int port = port_of(a);
    struct sockaddr_in same = v4("127.0.0.1", port), wild = v4("0.0.0.0", port), other = v4("127.0.0.2", port);
    CHECK(bind(b, SA(same), sizeof same));
    CHECK(bind(b, SA(wild), sizeof wild));
    CHECK(bind(b, SA(other), sizeof other));
    show("127.0.0.2", b, 0);
    close(b);
    /* SO_REUSEADDR on both: a second bind of a port nobody listens on */
    b = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    CHECK(setsockopt(a, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
    CHECK(setsockopt(b, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
    CHECK(bind(b, SA(same), sizeof same));
    CHECK(listen(b, 1));
    int c = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(setsockopt(c, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
    CHECK(bind(c, SA(same), sizeof same)); /* b listens there now */
    close(a), close(b), close(c);
    /* a port below 1024 needs CAP_NET_BIND_SERVICE */
    pid_t pid = fork();
    if (pid == 0) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in low = v4("127.0.0.1", 1000);
        if (setuid(65534) < 0)
            printf("setuid: %s\n", strerror(errno));
        CHECK(bind(s, SA(low), sizeof low));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    /* listen binds an unbound socket to a port of its own */
    a = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(listen(a, 5));
    show("listen autobind", a, 0);
    CHECK(getint(a, SOL_SOCKET, SO_ACCEPTCONN));
    close(a);
}

static void connecting(void)
{
    int l = listener4("127.0.0.1"), port = port_of(l);
    int c = connect4("127.0.0.1", port);
    show("client", c, 0);
    show("client peer", c, 1);
    CHECK(peer_port(c) == port);
    struct sockaddr_in from;
    socklen_t len = sizeof from;
    int s;
    CHECK((s = accept(l, SA(from), &len)) >= 0);
    CHECK(len);
    CHECK(ntohs(from.sin_port) == port_of(c));
    CHECK(from.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
    show("server", s, 0);
    CHECK(port_of(s) == port);
    struct sockaddr_in again = v4("127.0.0.1", port);
    CHECK(connect(c, SA(again), sizeof again));
    CHECK(bind(c, SA(again), sizeof again));
    CHECK(accept(c, NULL, NULL));
    CHECK(accept(s, NULL, NULL));
    /* data both ways */
    char buf[32] = {0};
    CHECK(send(c, "hello", 5, 0));
    CHECK(recv(s, buf, sizeof buf, MSG_PEEK));
    CHECK(recv(s, buf, 2, 0));
    CHECK(recv(s, buf, sizeof buf, 0));
    printf("got %.3s\n", buf);
    CHECK(recv(s, buf, sizeof buf, MSG_DONTWAIT));
    CHECK(write(s, "back", 4));
    CHECK(read(c, buf, sizeof buf));
    /* MSG_WAITALL across two sends from a child */
    if (fork() == 0) {
        usleep(20000);
        send(c, "ab", 2, 0);
        usleep(20000);
        send(c, "cd", 2, 0);
        _exit(0);
    }
    memset(buf, 0, sizeof buf);
    CHECK(recv(s, buf, 4, MSG_WAITALL));
    printf("waitall %s\n", buf);
    wait(NULL);
    /* half-close: the peer reads the end, and can still write */
    CHECK(shutdown(c, SHUT_WR));
    CHECK(recv(s, buf, sizeof buf, 0));
    CHECK(send(s, "more", 4, 0));
    CHECK(recv(c, buf, sizeof buf, 0));
    CHECK(send(c, "x", 1, MSG_NOSIGNAL));
    CHECK(shutdown(c, 7));
    close(c), close(s);
    /* the accepted one is nonblocking and close-on-exec with accept4 */
    c = connect4("127.0.0.1", port);
    CHECK((s = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0);
    CHECK((fcntl(s, F_GETFL) & O_NONBLOCK) != 0);
    CHECK(fcntl(s, F_GETFD));
    CHECK(read(s, buf, 1));
    /* a close with data unread resets the connection */
    CHECK(send(c, "unread", 6, 0));
    usleep(10000);
    close(s);
    usleep(10000);
    CHECK(recv(c, buf, sizeof buf, 0));
    CHECK(recv(c, buf, sizeof buf, 0));
    close(c);
    /* nobody listens: a bound socket's port refuses */
    int b = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in lo = v4("127.0.0.1", 0);
    bind(b, SA(lo), sizeof lo);
    c = connect4("127.0.0.1", port_of(b));
    show("after refusal", c, 0);
    close(c);
    /* nonblocking connect: EINPROGRESS, then writable with SO_ERROR 0 */
    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in to = v4("127.0.0.1", port);
    CHECK(connect(c, SA(to), sizeof to));
    struct pollfd pfd = {c, POLLOUT, 0};
    CHECK(poll(&pfd, 1, 1000));
    CHECK(pfd.revents);
    CHECK(getint(c, SOL_SOCKET, SO_ERROR));
    CHECK(connect(c, SA(to), sizeof to));
    CHECK(connect(c, SA(to), sizeof to));
    close(c);
    /* a nonblocking connect refused */
    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    to = v4("127.0.0.1", port_of(b));
    int r = connect(c, SA(to), sizeof to);
    printf("refused nonblocking: %s\n", r < 0 && errno == EINPROGRESS ? "in progress" : strerror(errno));
    pfd = (struct pollfd){c, POLLOUT, 0};
    CHECK(poll(&pfd, 1, 1000));
    CHECK(pfd.revents);
    CHECK(getint(c, SOL_SOCKET, SO_ERROR));
    CHECK(getint(c, SOL_SOCKET, SO_ERROR));
    show("after nonblocking refusal", c, 0);
    close(c), close(b);
    /* connecting to 0.0.0.0 reaches the loopback */
    c = connect4("0.0.0.0", port);
    show("to any", c, 1);
    close(c);
    /* a listener on 0.0.0.0 takes connections to any 127 address */
    int w = listener4("0.0.0.0");
    c = connect4("127.0.0.3", port_of(w));
    show("to 127.0.0.3", c, 1);
    show("from", c, 0);
    CHECK((s = accept(w, NULL, NULL)) >= 0);
    show("accepted on 127.0.0.3", s, 0);
    close(c), close(s), close(w), close(l);
}

static void pipeerr(void)
{
    int l = listener4("127.0.0.1"), c = connect4("127.0.0.1", port_of(l)), s = accept(l, NULL, NULL);
    CHECK(shutdown(s, SHUT_WR));
    CHECK(send(s, "x", 1, MSG_NOSIGNAL));
    signal(SIGPIPE, SIG_IGN);
    CHECK(write(s, "x", 1));
    signal(SIGPIPE, SIG_DFL);
    pid_t pid = fork();
    if (pid == 0) {
        write(s, "x", 1);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE);
    close(c), close(s);
    /* the peer closed: the first write goes, the reset it brings fails the next */
    c = connect4("127.0.0.1", port_of(l)), s = accept(l, NULL, NULL);
    close(c);
    usleep(10000);
    struct pollfd p = {s, POLLIN | POLLOUT | POLLRDHUP, 0};
    CHECK(poll(&p, 1, 0));
    CHECK(p.revents);
    CHECK(send(s, "x", 1, MSG_NOSIGNAL));
    usleep(10000);
    p.revents = 0;
    CHECK(poll(&p, 1, 0));
    CHECK(p.revents);
    CHECK(send(s, "x", 1, MSG_NOSIGNAL));
    CHECK(send(s, "x", 1, MSG_NOSIGNAL));
    char ch;
    CHECK(recv(s, &ch, 1, 0));
    CHECK(getint(s, SOL_SOCKET, SO_ERROR));
    close(s), close(l);
}

static void options(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1, v;
    CHECK(getint(s, SOL_SOCKET, SO_TYPE));
    CHECK(getint(s, SOL_SOCKET, SO_DOMAIN));
    CHECK(getint(s, SOL_SOCKET, SO_PROTOCOL));
    CHECK(getint(s, SOL_SOCKET, SO_REUSEADDR));
    CHECK(getint(s, SOL_SOCKET, SO_KEEPALIVE));
    CHECK(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one));
    CHECK(getint(s, SOL_SOCKET, SO_KEEPALIVE));
    CHECK(setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one));
    CHECK(getint(s, SOL_SOCKET, SO_REUSEPORT));
    CHECK(getint(s, IPPROTO_TCP, TCP_NODELAY));
    CHECK(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one));
    CHECK(getint(s, IPPROTO_TCP, TCP_NODELAY));
    CHECK(getint(s, IPPROTO_IP, IP_TTL));
    v = 5;
    CHECK(setsockopt(s, IPPROTO_IP, IP_TTL, &v, sizeof v));
    CHECK(getint(s, IPPROTO_IP, IP_TTL));
    v = 256;
    CHECK(setsockopt(s, IPPROTO_IP, IP_TTL, &v, sizeof v));
    v = 4096;
    CHECK(setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof v));
    CHECK(getint(s, SOL_SOCKET, SO_RCVBUF));
    v = 8000;
    CHECK(setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof v));
    CHECK(getint(s, SOL_SOCKET, SO_SNDBUF));
    v = 1;
    CHECK(setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof v));
    CHECK(getint(s, SOL_SOCKET, SO_RCVBUF));
    struct linger lg = {1, 7}, lg2;
    socklen_t len = sizeof lg2;
    CHECK(setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    CHECK(getsockopt(s, SOL_SOCKET, SO_LINGER, &lg2, &len));
    printf("linger %d %d len %u\n", lg2.l_onoff, lg2.l_linger, (unsigned)len);
    struct timeval tv = {2, 500000}, tv2;
    len = sizeof tv2;
    CHECK(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    CHECK(getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv2, &len));
    printf("rcvtimeo %ld %ld len %u\n", (long)tv2.tv_sec, (long)tv2.tv_usec, (unsigned)len);
    tv.tv_usec = 2000000;
    CHECK(setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv));
    CHECK(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, 4));
    CHECK(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &one, 2));
    CHECK(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, (void *)8, 4));
    CHECK(setsockopt(s, SOL_SOCKET, 9999, &one, sizeof one));
    CHECK(setsockopt(s, 9999, 1, &one, sizeof one));
    CHECK(getint(s, IPPROTO_IPV6, IPV6_V6ONLY));
    CHECK(setsockopt(42, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one));
    CHECK(setsockopt(0, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one));
    char small[2];
    len = sizeof small;
    CHECK(getsockopt(s, SOL_SOCKET, SO_TYPE, small, &len));
    CHECK(len);
    close(s);
    s = socket(AF_INET6, SOCK_STREAM, 0);
    CHECK(getint(s, IPPROTO_IPV6, IPV6_V6ONLY));
    CHECK(getint(s, IPPROTO_IPV6, IPV6_UNICAST_HOPS));
    CHECK(getint(s, SOL_SOCKET, SO_DOMAIN));
    struct sockaddr_in6 lo6 = v6("::1", 0), any6 = v6("::", 0);
    CHECK(bind(s, (struct sockaddr *)&lo6, sizeof lo6)); /* an IPv6 address of its own: IPv6 only now */
    CHECK(getint(s, IPPROTO_IPV6, IPV6_V6ONLY));
    close(s);
    s = socket(AF_INET6, SOCK_STREAM, 0);
    CHECK(bind(s, (struct sockaddr *)&any6, sizeof any6)); /* the wildcard: not */
    CHECK(getint(s, IPPROTO_IPV6, IPV6_V6ONLY));
    close(s);
}

static void six(void)
{
    int l = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 any = v6("::", 0);
    CHECK(bind(l, SA(any), sizeof any));
    CHECK(listen(l, 4));
    int port = port_of(l);
    show("v6 listener", l, 0);
    int c = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 to = v6("::1", port);
    CHECK(connect(c, SA(to), sizeof to));
    show("v6 client", c, 0);
    int s = accept(l, NULL, NULL);
    show("v6 server", s, 0);
    show("v6 server peer", s, 1);
    CHECK(send(c, "6", 1, 0));
    char ch;
    CHECK(recv(s, &ch, 1, 0));
    close(c), close(s);
    /* a v4 client reaches the v6 wildcard: mapped names */
    c = connect4("127.0.0.1", port);
    s = accept(l, NULL, NULL);
    show("mapped server", s, 0);
    show("mapped server peer", s, 1);
    close(c), close(s);
    /* a v6 socket connecting to a mapped address */
    c = socket(AF_INET6, SOCK_STREAM, 0);
    to = v6("::ffff:127.0.0.1", port);
    CHECK(connect(c, SA(to), sizeof to));
    show("mapped client", c, 0);
    s = accept(l, NULL, NULL);
    close(c), close(s);
    /* the same port on v4 is taken by the v6 wildcard... */
    int b = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in same = v4("127.0.0.1", port);
    CHECK(bind(b, SA(same), sizeof same));
    close(b), close(l);
    /* ...but not by a v6-only one, which takes no v4 connections */
    int one = 1;
    l = socket(AF_INET6, SOCK_STREAM, 0);
    CHECK(setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one));
    CHECK(getint(l, IPPROTO_IPV6, IPV6_V6ONLY));
    CHECK(bind(l, SA(any), sizeof any));
    CHECK(listen(l, 4));
    port = port_of(l);
    b = socket(AF_INET, SOCK_STREAM, 0);
    same = v4("127.0.0.1", port);
    CHECK(bind(b, SA(same), sizeof same));
    close(b);
    c = connect4("127.0.0.1", port);
    close(c);
    CHECK(setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one));
    close(l);
    /* errors */
    l = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 bad = v6("2001:db8::1", 0);
    CHECK(bind(l, SA(bad), sizeof bad));
    CHECK(bind(l, SA(any), 20));
    struct sockaddr_in four = v4("127.0.0.1", 0);
    CHECK(bind(l, SA(four), sizeof four));
    to = v6("::1", 1);
    close(l);
}

static void readiness(void)
{
    int l = listener4("127.0.0.1");
    struct pollfd p = {l, POLLIN, 0};
    CHECK(poll(&p, 1, 0));
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = l}, out[4];
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev));
    CHECK(epoll_wait(ep, out, 4, 0));
    if (fork() == 0) {
        usleep(30000);
        int c = connect4("127.0.0.1", port_of(l));
        send(c, "hi", 2, 0);
        usleep(100000);
        _exit(0);
    }
    CHECK(epoll_wait(ep, out, 4, 2000));
    CHECK(out[0].events);
    int s = accept(l, NULL, NULL);
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(s, &rd);
    struct timeval tv = {2, 0};
    CHECK(select(s + 1, &rd, NULL, NULL, &tv));
    CHECK(FD_ISSET(s, &rd) != 0);
    p = (struct pollfd){s, POLLIN | POLLOUT | POLLRDHUP, 0};
    CHECK(poll(&p, 1, 1000));
    CHECK(p.revents);
    wait(NULL);
    p.revents = 0;
    CHECK(poll(&p, 1, 1000));
    CHECK(p.revents);
    close(s), close(l), close(ep);
}

/* SO_RCVTIMEO and SO_SNDTIMEO: a receive, an accept and a send to a full
 * peer end with EAGAIN (or what moved) when the time is up */
static void timeouts(void)
{
    int l = listener4("127.0.0.1");
    struct timeval tv = {0, 50000};
    CHECK(setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    CHECK(accept(l, NULL, NULL));
    int c = connect4("127.0.0.1", port_of(l)), s = accept(l, NULL, NULL);
    char buf[4096];
    CHECK(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    CHECK(recv(s, buf, sizeof buf, 0));
    CHECK(setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv));
    memset(buf, 'x', sizeof buf);
    long sent = 0, r;
    while ((r = send(c, buf, sizeof buf, 0)) > 0)
        sent += r;
    printf("filled: %s, then %s\n", sent > 0 ? "some sent" : "none", strerror(errno));
    close(c), close(s), close(l);
}

/* SO_LINGER with no time: a close that resets the connection */
static void abortive(void)
{
    int l = listener4("127.0.0.1"), c = connect4("127.0.0.1", port_of(l)), s = accept(l, NULL, NULL);
    struct linger lg = {1, 0};
    char ch;
    CHECK(send(c, "ab", 2, 0));
    CHECK(setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    close(c);
    usleep(10000);
    CHECK(recv(s, &ch, 1, 0));
    CHECK(recv(s, &ch, 1, 0));
    CHECK(recv(s, &ch, 1, 0));
    close(s), close(l);
}

/* A full accept queue: a blocking connect waits until an accept makes room */
static void backlog(void)
{
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = v4("127.0.0.1", 0);
    bind(l, SA(a), sizeof a);
    CHECK(listen(l, 0));
    int c1 = connect4("127.0.0.1", port_of(l));
    pid_t pid = fork();
    if (pid == 0) {
        int c2 = connect4("127.0.0.1", port_of(l));
        _exit(peer_port(c2) == port_of(l)); /* told by the status: printing here would race the parent */
    }
    usleep(100000);
    int s1 = accept(l, NULL, NULL), s2 = accept(l, NULL, NULL), status = 0;
    CHECK(s1 >= 0 && s2 >= 0);
    waitpid(pid, &status, 0);
    printf("second connected: %d\n", WIFEXITED(status) && WEXITSTATUS(status) == 1);
    close(c1), close(s1), close(s2), close(l);
}

/* localhost and the service names: /etc/hosts and /etc/services */
static void names(void)
{
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *res = NULL;
    CHECK(getaddrinfo("localhost", "http", &hints, &res));
    if (res) {
        struct sockaddr_in *a = (struct sockaddr_in *)res->ai_addr;
        printf("localhost: %s port %d\n", inet_ntoa(a->sin_addr), ntohs(a->sin_port));
        freeaddrinfo(res);
    }
    int l = listener4("0.0.0.0");
    char port[16];
    snprintf(port, sizeof port, "%d", port_of(l));
    res = NULL;
    CHECK(getaddrinfo("localhost", port, &hints, &res));
    int c = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(res && connect(c, res->ai_addr, res->ai_addrlen) == 0);
    if (res)
        freeaddrinfo(res);
    close(c), close(l);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    creation();
    binding();
    connecting();
    pipeerr();
    options();
    six();
    readiness();
    names();
    timeouts();
    abortive();
    backlog();
    return 0;
}
