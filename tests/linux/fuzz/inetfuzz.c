/*
 * tests/linux/fuzz/inetfuzz.c - random internet socket operations against
 * the Linux personality: TCP and UDP sockets of both families, bind to a
 * few ports and addresses (wildcards, mapped, foreign), SO_REUSEADDR and
 * SO_REUSEPORT, IPV6_V6ONLY, listen, connect (AF_UNSPEC too), accept4,
 * close, reads and writes, sendto/recvfrom with names, sendmsg/recvmsg,
 * sendmmsg/recvmmsg, MSG_PEEK and MSG_TRUNC, shutdown, setsockopt/getsockopt, the interface
 * ioctls, poll, the names, and now and then a fork whose child closes
 * some descriptors, over sixteen slots.  Everything is nonblocking.  The
 * server must answer every call and survive, and leak nothing: the
 * operations run in rounds of 20,000, each ending with every slot closed,
 * after which /proc/net lists no socket, and the free memory after the
 * last round is what it was after the first (which grows the server's
 * heap to its working size).  Persona only, as fuzz.c; tests/run-all.py
 * runs it after sockfuzz.
 */
#define _GNU_SOURCE
#include "slots.h"
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Address i, of either family (the socket's or not), with one of a few ports. */
static socklen_t name(struct sockaddr_in6 *a, int i)
{
    static const uint16_t ports[] = {0, 40001, 40002, 40003, 80};
    memset(a, 0, sizeof *a);
    uint16_t port = htons(ports[rnd() % 5]);
    if (i % 2) {
        struct sockaddr_in *v = (struct sockaddr_in *)a;
        static const uint32_t addrs[] = {0, 0x7f000001, 0x7f000002, 0xc6336401};
        v->sin_family = rnd() % 8 ? AF_INET : AF_UNSPEC;
        v->sin_port = port;
        v->sin_addr.s_addr = htonl(addrs[rnd() % 4]);
        return rnd() % 8 ? sizeof *v : (socklen_t)(rnd() % 20);
    }
    a->sin6_family = rnd() % 8 ? AF_INET6 : AF_UNSPEC;
    a->sin6_port = port;
    int k = (int)(rnd() % 4);
    if (k == 1)
        a->sin6_addr.s6_addr[15] = 1; /* ::1 */
    else if (k == 2)
        a->sin6_addr.s6_addr[10] = a->sin6_addr.s6_addr[11] = 0xff, a->sin6_addr.s6_addr[12] = 127,
        a->sin6_addr.s6_addr[15] = 1; /* ::ffff:127.0.0.1 */
    else if (k == 3)
        a->sin6_addr.s6_addr[0] = 0x20, a->sin6_addr.s6_addr[1] = 0x01; /* foreign */
    return rnd() % 8 ? sizeof *a : (socklen_t)(rnd() % 32);
}

static void option(int s)
{
    static const int opts[][2] = {{SOL_SOCKET, SO_REUSEADDR}, {SOL_SOCKET, SO_REUSEPORT}, {SOL_SOCKET, SO_RCVBUF},
                                  {SOL_SOCKET, SO_SNDBUF},    {SOL_SOCKET, SO_KEEPALIVE}, {SOL_SOCKET, SO_LINGER},
                                  {SOL_SOCKET, SO_RCVTIMEO},  {SOL_SOCKET, SO_ERROR},     {IPPROTO_TCP, TCP_NODELAY},
                                  {IPPROTO_IP, IP_TTL},       {IPPROTO_IPV6, IPV6_V6ONLY}, {99, 1}};
    int k = (int)(rnd() % 12), v[4] = {(int)(rnd() % 3), (int)(rnd() % 300) - 1, 0, (int)(rnd() % 2000000)};
    socklen_t len = (socklen_t)(rnd() % 20);
    if (rnd() % 2)
        setsockopt(s, opts[k][0], opts[k][1], rnd() % 16 ? (void *)v : (void *)8, len);
    else
        getsockopt(s, opts[k][0], opts[k][1], v, &len);
}

/* A /proc/net/tcp line of a timewait socket: TIME_WAIT (06), or an orphan
 * in FIN_WAIT2 (05), which a closed connection leaves for a while, as
 * Linux's (tcp_max_tw_buckets of them at most). */
static int timewait(const char *line)
{
    char st[8] = "";
    sscanf(line, "%*s %*s %*s %7s", st);
    return !strcmp(st, "06") || !strcmp(st, "05");
}

/* Sockets /proc/net still lists, of every kind, timewait ones left out. */
static int listed(void)
{
    static const char *const files[] = {"/proc/net/tcp", "/proc/net/tcp6", "/proc/net/udp", "/proc/net/udp6"};
    int n = 0;
    char line[256];
    for (int i = 0; i < 4; i++) {
        FILE *f = fopen(files[i], "r");
        if (!f)
            return -1;
        while (fgets(line, sizeof line, f))
            n += !timewait(line);
        n--; /* the heading */
        fclose(f);
    }
    return n;
}

/* The end of a round: every slot closed, nothing left listed. */
static void settle(int *fds, int round)
{
    for (int i = 0; i < 16; i++)
        if (fds[i] >= 0)
            close(fds[i]), fds[i] = -1;
    int left = listed();
    if (left)
        printf("inetfuzz: round %d: %d sockets still listed with every descriptor closed\n", round, left);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 100000, fds[16];
    long first = 0;
    char buf[2048];
    if (argc > 2)
        seed = strtoull(argv[2], NULL, 0) | 1;
    signal(SIGPIPE, SIG_IGN);
    for (int i = 0; i < 16; i++)
        fds[i] = -1;
    memset(buf, 'z', sizeof buf);
    for (int k = 0; k < n; k++) {
        if (k && k % 20000 == 0) {
            settle(fds, k / 20000);
            if (k == 20000)
                first = mem_free_kb();
        }
        int i = (int)(rnd() % 16), c;
        struct sockaddr_in6 a, g;
        socklen_t l = name(&a, (int)rnd()), gl = sizeof g;
        struct pollfd p = {fds[i], POLLIN | POLLOUT, 0};
        struct iovec iov = {buf, rnd() % sizeof buf};
        struct msghdr m = {.msg_name = &g, .msg_namelen = sizeof g, .msg_iov = &iov, .msg_iovlen = 1};
        struct ifreq r = {.ifr_name = "lo"};
        switch (rnd() % 21) {
        case 0: case 1:
            if (fds[i] < 0)
                fds[i] = socket(rnd() % 2 ? AF_INET : AF_INET6,
                                (rnd() % 2 ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK, 0);
            break;
        case 2: bind(fds[i], (struct sockaddr *)&a, l); break;
        case 3: listen(fds[i], (int)(rnd() % 4)); break;
        case 4: case 5: connect(fds[i], (struct sockaddr *)&a, l); break;
        case 6:
            if ((c = accept4(fds[i], NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                int q = (int)(rnd() % 16);
                if (fds[q] >= 0)
                    close(fds[q]);
                fds[q] = c;
            }
            break;
        case 7:
            if (fds[i] >= 0)
                close(fds[i]), fds[i] = -1;
            break;
        case 8: write(fds[i], buf, rnd() % sizeof buf); break;
        case 9: read(fds[i], buf, rnd() % sizeof buf); break;
        case 10: recv(fds[i], buf, rnd() % sizeof buf, MSG_DONTWAIT | (rnd() % 2 ? MSG_PEEK : 0) |
                      (rnd() % 2 ? MSG_TRUNC : 0)); break;
        case 11: shutdown(fds[i], (int)(rnd() % 3)); break;
        case 12:
            sendto(fds[i], buf, rnd() % sizeof buf, MSG_DONTWAIT, rnd() % 4 ? (struct sockaddr *)&a : NULL, l);
            break;
        case 13: recvfrom(fds[i], buf, rnd() % sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&g, &gl); break;
        case 14: sendmsg(fds[i], &m, MSG_DONTWAIT); break;
        case 15: recvmsg(fds[i], &m, MSG_DONTWAIT); break;
        case 16: option(fds[i]); break;
        case 19: {
            struct mmsghdr mm[2] = {{m, 0}, {m, 0}};
            if (rnd() % 2)
                sendmmsg(fds[i], mm, 1 + rnd() % 2, MSG_DONTWAIT);
            else
                recvmmsg(fds[i], mm, 1 + rnd() % 2, MSG_DONTWAIT, NULL);
            break;
        }
        case 17: ioctl(fds[i], rnd() % 2 ? SIOCGIFFLAGS : SIOCGIFADDR, rnd() % 8 ? (void *)&r : (void *)8); break;
        default:
            poll(&p, 1, 0);
            getsockname(fds[i], (struct sockaddr *)&g, &gl);
            gl = sizeof g;
            getpeername(fds[i], (struct sockaddr *)&g, &gl);
            if (rnd() % 50 == 0)
                fork_and_close(fds);
        }
    }
    settle(fds, (n + 19999) / 20000);
    printf("inetfuzz: %d operations done\n", n);
    if (first) {
        long grew = first - mem_free_kb();
        printf("inetfuzz: memory after the first round and the last: %s\n",
               grew < 128 ? "level" : "grew");
        if (grew >= 128)
            printf("inetfuzz: grew by %ld KiB\n", grew);
    }
    printf("inetfuzz: still answering: %d\n", socket(AF_INET, SOCK_STREAM, 0) >= 0);
    return 0;
}
