/*
 * tests/linux/c/tstamp.c - receive timestamps on UDP: SO_TIMESTAMP,
 * SO_TIMESTAMPNS and their _NEW twins set and read back (each clears the
 * others' kind), the control message each puts on a recvmsg (its level,
 * type, length, and a time near now), SO_TIMESTAMPING's software receive
 * time (SCM_TIMESTAMPING) and its flags' checks, MSG_CTRUNC for a control
 * buffer too small, and SIOCGSTAMP/SIOCGSTAMPNS (ENOENT before any
 * datagram; TCP's ENOENT; AF_UNIX's ENOTTY).  Times are printed only as
 * near now or not.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#ifndef SO_TIMESTAMP_NEW
#define SO_TIMESTAMP_NEW 63
#define SO_TIMESTAMPNS_NEW 64
#define SO_TIMESTAMPING_NEW 65
#endif
#ifndef SO_TIMESTAMPNS
#define SO_TIMESTAMPNS 35
#endif
#ifndef SO_TIMESTAMPING
#define SO_TIMESTAMPING 37
#endif
#define SIOCGSTAMP_OLD 0x8906
#define SIOCGSTAMPNS_OLD 0x8907
#define SOF_RX_SOFTWARE (1 << 3)
#define SOF_SOFTWARE (1 << 4)

static int getint(int fd, int name)
{
    int v = -7;
    socklen_t len = sizeof v;
    return getsockopt(fd, SOL_SOCKET, name, &v, &len) < 0 ? -1 : v;
}

static void show_opts(int fd)
{
    printf("TIMESTAMP %d TIMESTAMPNS %d TIMESTAMP_NEW %d TIMESTAMPNS_NEW %d TIMESTAMPING %#x\n",
           getint(fd, SO_TIMESTAMP), getint(fd, SO_TIMESTAMPNS), getint(fd, SO_TIMESTAMP_NEW),
           getint(fd, SO_TIMESTAMPNS_NEW), getint(fd, SO_TIMESTAMPING));
}

/* Whether sec and a fraction (usec or nsec) are within 10 s of now. */
static int near(int64_t sec, int64_t frac, int ns)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int64_t d = sec - now.tv_sec;
    return d > -10 && d < 10 && frac >= 0 && frac < (ns ? 1000000000 : 1000000);
}

/* A datagram sent to u and taken with recvmsg and a control buffer of room bytes. */
static void one(int s, int u, const struct sockaddr_in *to, size_t room)
{
    char buf[16], control[256];
    struct iovec iov = {buf, sizeof buf};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = room};
    sendto(s, "tick", 4, 0, (const struct sockaddr *)to, sizeof *to);
    memset(control, 0, sizeof control);
    long r = recvmsg(u, &m, 0);
    printf("recvmsg %ld controllen %zu flags %#x\n", r, (size_t)m.msg_controllen, m.msg_flags);
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        int64_t t[2];
        memcpy(t, CMSG_DATA(c), sizeof t);
        int ns = c->cmsg_type == SO_TIMESTAMPNS || c->cmsg_type == SO_TIMESTAMPNS_NEW ||
                 c->cmsg_type == SO_TIMESTAMPING || c->cmsg_type == SO_TIMESTAMPING_NEW;
        printf("  level %d type %d len %zu near %d\n", c->cmsg_level, c->cmsg_type, (size_t)c->cmsg_len,
               near(t[0], t[1], ns));
    }
}

/* The same over an AF_UNIX datagram pair, from s to u. */
static void unix_one(int s, int u, size_t room)
{
    char buf[16], control[256];
    struct iovec iov = {buf, sizeof buf};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = room ? control : NULL, .msg_controllen = room};
    send(s, "tock", 4, 0);
    memset(control, 0, sizeof control);
    long r = recvmsg(u, &m, 0);
    printf("recvmsg %ld controllen %zu flags %#x\n", r, (size_t)m.msg_controllen, m.msg_flags);
    for (struct cmsghdr *c = room ? CMSG_FIRSTHDR(&m) : NULL; c; c = CMSG_NXTHDR(&m, c))
        printf("  level %d type %d len %zu\n", c->cmsg_level, c->cmsg_type, (size_t)c->cmsg_len);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int u = socket(AF_INET, SOCK_DGRAM, 0), s = socket(AF_INET, SOCK_DGRAM, 0), one_ = 1, zero = 0;
    bind(u, (struct sockaddr *)&a, sizeof a);
    getsockname(u, (struct sockaddr *)&a, &len);
    int64_t tv[2];
    CHECK(ioctl(u, SIOCGSTAMP_OLD, tv));
    show_opts(u);
    one(s, u, &a, sizeof(char[256]));
    CHECK(ioctl(u, SIOCGSTAMP_OLD, tv));
    printf("stamp near %d\n", near(tv[0], tv[1], 0));
    CHECK(ioctl(u, SIOCGSTAMPNS_OLD, tv));
    printf("stamp ns near %d\n", near(tv[0], tv[1], 1));

    static const struct { int name; const char *text; } kinds[] = {
        {SO_TIMESTAMP, "SO_TIMESTAMP"}, {SO_TIMESTAMPNS, "SO_TIMESTAMPNS"},
        {SO_TIMESTAMP_NEW, "SO_TIMESTAMP_NEW"}, {SO_TIMESTAMPNS_NEW, "SO_TIMESTAMPNS_NEW"},
    };
    for (unsigned i = 0; i < 4; i++) {
        printf("%s on\n", kinds[i].text);
        CHECK(setsockopt(u, SOL_SOCKET, kinds[i].name, &one_, sizeof one_));
        show_opts(u);
        one(s, u, &a, 256);
    }
    printf("too small a buffer\n");
    one(s, u, &a, 20);
    CHECK(setsockopt(u, SOL_SOCKET, SO_TIMESTAMPNS_NEW, &zero, sizeof zero));
    show_opts(u);
    one(s, u, &a, 256);

    int f = SOF_RX_SOFTWARE | SOF_SOFTWARE;
    CHECK(setsockopt(u, SOL_SOCKET, SO_TIMESTAMPING, &f, sizeof f));
    show_opts(u);
    one(s, u, &a, 256);
    CHECK(setsockopt(u, SOL_SOCKET, SO_TIMESTAMP, &one_, sizeof one_));
    show_opts(u);
    one(s, u, &a, 256);
    f = 1 << 12; /* OPT_STATS without OPT_TSONLY */
    CHECK(setsockopt(u, SOL_SOCKET, SO_TIMESTAMPING, &f, sizeof f));
    f = 1 << 30;
    CHECK(setsockopt(u, SOL_SOCKET, SO_TIMESTAMPING, &f, sizeof f));
    f = 0;
    CHECK(setsockopt(u, SOL_SOCKET, SO_TIMESTAMPING_NEW, &f, sizeof f));
    show_opts(u);
    int ts[2] = {-1, -1};
    len = sizeof ts;
    CHECK(getsockopt(u, SOL_SOCKET, SO_TIMESTAMPING, ts, &len));
    printf("timestamping len %u flags %d phc %d\n", (unsigned)len, ts[0], ts[1]);

    int t = socket(AF_INET, SOCK_STREAM, 0), x[2];
    CHECK(ioctl(t, SIOCGSTAMP_OLD, tv));
    socketpair(AF_UNIX, SOCK_DGRAM, 0, x);
    printf("AF_UNIX datagrams\n");
    CHECK(setsockopt(x[1], SOL_SOCKET, SO_TIMESTAMPNS, &one_, sizeof one_));
    show_opts(x[1]);
    unix_one(x[0], x[1], 256);
    CHECK(setsockopt(x[1], SOL_SOCKET, SO_PASSCRED, &one_, sizeof one_));
    unix_one(x[0], x[1], 256);
    unix_one(x[0], x[1], 40);
    unix_one(x[0], x[1], 0);
    CHECK(ioctl(x[0], SIOCGSTAMP_OLD, tv));
    CHECK(ioctl(x[0], SIOCGSTAMPNS_OLD, tv));
    return 0;
}
