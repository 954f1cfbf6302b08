/*
 * tests/linux/c/unixgc.c - AF_UNIX sockets in flight that nobody holds
 * any more are freed (Linux's unix_gc): 5,000 times, a pair of sockets of
 * each kind, each sent over itself into the other's queue (a cycle), then
 * both closed; and a socket sent into its own queue, closed.  Without the
 * collection every pair would stay, queue and all (a stream's pipes are
 * 64 KiB each), and a new pair would fail for want of memory.  Sockets
 * still reachable are not collected: one held by a descriptor keeps what
 * its queue holds, which still works.  The output must equal the host
 * Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "scm.h"
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int take(int from)
{
    long len;
    return take_fd(from, 0, &len);
}

static void cycles(int type)
{
    int i, sv[2];
    for (i = 0; i < 5000; i++) {
        if (socketpair(AF_UNIX, type, 0, sv) < 0)
            break;
        if (pass_fd(sv[0], sv[0]) < 0 || pass_fd(sv[1], sv[1]) < 0)
            break;
        close(sv[0]);
        close(sv[1]);
    }
    printf("type %d: %d cycles of two%s%s\n", type, i, i < 5000 ? ": " : "", i < 5000 ? strerror(errno) : "");
    for (i = 0; i < 5000; i++) {
        if (socketpair(AF_UNIX, type, 0, sv) < 0)
            break;
        if (pass_fd(sv[1], sv[0]) < 0) /* sv[0] into its own queue */
            break;
        close(sv[0]);
        close(sv[1]);
    }
    printf("type %d: %d sockets in their own queues%s%s\n", type, i, i < 5000 ? ": " : "",
           i < 5000 ? strerror(errno) : "");
}

/* A socket in the queue of one a descriptor holds is not garbage. */
static void reachable(int type)
{
    int a[2], b[2];
    char buf[8];
    CHECK(socketpair(AF_UNIX, type, 0, a));
    CHECK(socketpair(AF_UNIX, type, 0, b));
    CHECK(pass_fd(a[0], b[1]));  /* b[1] into a[1]'s queue */
    CHECK(pass_fd(b[0], b[0]));  /* b[0] into b[1]'s queue: b is a cycle, held by a[1] */
    CHECK(close(b[0]));
    CHECK(close(b[1]));
    CHECK(close(a[0]));
    for (int i = 0; i < 100; i++) { /* closes that start collections */
        int t[2];
        socketpair(AF_UNIX, type, 0, t);
        pass_fd(t[0], t[0]);
        close(t[0]), close(t[1]);
    }
    int fd = take(a[1]);
    CHECK(fd >= 0);
    int back = take(fd);
    CHECK(back >= 0);
    CHECK(send(back, "ok", 2, 0));
    CHECK(recv(fd, buf, sizeof buf, 0));
    close(fd), close(back), close(a[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    cycles(SOCK_STREAM);
    cycles(SOCK_DGRAM);
    cycles(SOCK_SEQPACKET);
    reachable(SOCK_STREAM);
    reachable(SOCK_DGRAM);
    return 0;
}
