/*
 * tests/linux/c/unixmmsg.c - sendmmsg and recvmmsg on AF_UNIX stream,
 * datagram and seqpacket sockets: the count and each msg_len, MSG_TRUNC
 * in a message's flags, MSG_DONTWAIT, MSG_WAITFORONE, the timeout, a
 * first message that waits (a receive woken by the peer's write, a send
 * bigger than the buffer), end of file, and the errors: EBADF, ENOTSOCK,
 * EFAULT, EINVAL for a bad timeout, EAGAIN, EPIPE, ENOTCONN, and an error
 * after the first message (the count so far).  The output must equal the
 * host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "mmsg.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A child that writes s to fd after a pause, then leaves. */
static void later(int fd, const char *s)
{
    if (fork() == 0) {
        usleep(100000);
        if (write(fd, s, strlen(s)) < 0)
            _exit(1);
        _exit(0);
    }
}

static void kind(int type, const char *name)
{
    int sv[2];
    const char *three[] = {"aaa", "bbbb", "cc"};
    printf("%s\n", name);
    CHECK(socketpair(AF_UNIX, type, 0, sv));
    prep(3, three);
    CHECK(sendmmsg(sv[0], mm, 3, 0));
    printf("  sent %u %u %u\n", mm[0].msg_len, mm[1].msg_len, mm[2].msg_len);
    prep(N, NULL);
    CHECK(recvmmsg(sv[1], mm, N, MSG_DONTWAIT, NULL));
    show(N);
    prep(N, NULL);
    CHECK(recvmmsg(sv[1], mm, N, MSG_DONTWAIT, NULL));
    CHECK(sendmmsg(sv[0], mm, 0, 0));
    CHECK(recvmmsg(sv[1], mm, 0, 0, NULL));
    /* MSG_WAITFORONE on a blocking socket: those there after the first */
    prep(2, three);
    CHECK(sendmmsg(sv[0], mm, 2, 0));
    prep(N, NULL);
    CHECK(recvmmsg(sv[1], mm, N, MSG_WAITFORONE, NULL));
    show(2);
    /* a timeout of zero: one message, then the time is up */
    prep(3, three);
    CHECK(sendmmsg(sv[0], mm, 3, 0));
    struct timespec zero = {0, 0}, bad = {0, 1000000000};
    prep(N, NULL);
    CHECK(recvmmsg(sv[1], mm, N, 0, &zero));
    show(1);
    prep(N, NULL);
    CHECK(recvmmsg(sv[1], mm, N, MSG_DONTWAIT, NULL));
    CHECK(recvmmsg(sv[1], mm, N, 0, &bad));
    CHECK(recvmmsg(-1, mm, N, 0, &bad));
    /* the first message waits for the peer's write */
    later(sv[0], "late");
    prep(N, NULL);
    CHECK(recvmmsg(sv[1], mm, 1, 0, NULL));
    show(1);
    wait(NULL);
    later(sv[0], "later");
    prep(N, NULL);
    CHECK(recvmmsg(sv[1], mm, N, MSG_WAITFORONE, NULL));
    show(1);
    wait(NULL);
    /* a message longer than the buffer */
    const char *longer[] = {"0123456789"};
    prep(1, longer);
    CHECK(sendmmsg(sv[0], mm, 1, 0));
    prep(N, NULL);
    CHECK(recvmmsg(sv[1], mm, 1, MSG_DONTWAIT, NULL));
    show(1);
    prep(N, NULL);
    CHECK(recvmmsg(sv[1], mm, 1, MSG_DONTWAIT, NULL));
    /* a bad vector */
    CHECK(syscall(SYS_sendmmsg, sv[0], 8, 1, 0));
    CHECK(syscall(SYS_recvmmsg, sv[1], 8, 1, MSG_DONTWAIT, 0));
    /* an error at the second message: the count so far */
    prep(2, three);
    iov[1].iov_base = (void *)8;
    CHECK(sendmmsg(sv[0], mm, 2, 0));
    prep(N, NULL);
    CHECK(recvmmsg(sv[1], mm, N, MSG_DONTWAIT, NULL));
    show(1);
    /* the peer closed: end of file, or EPIPE */
    close(sv[1]);
    prep(2, three);
    CHECK(sendmmsg(sv[0], mm, 2, MSG_NOSIGNAL));
    close(sv[0]);
    if (type == SOCK_DGRAM)
        return;
    CHECK(socketpair(AF_UNIX, type, 0, sv));
    prep(1, three);
    CHECK(sendmmsg(sv[0], mm, 1, 0));
    close(sv[0]);
    prep(2, NULL);
    CHECK(recvmmsg(sv[1], mm, 2, 0, NULL));
    show(2);
    close(sv[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    kind(SOCK_STREAM, "stream");
    kind(SOCK_DGRAM, "datagram");
    kind(SOCK_SEQPACKET, "seqpacket");

    /* a stream send bigger than the buffer waits for the reader */
    int sv[2], p[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    big_send(sv[0], sv[1], 1 << 20);

    /* a datagram socket with no peer, and other errors */
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    const char *one[] = {"x", "y"};
    prep(2, one);
    CHECK(sendmmsg(d, mm, 2, 0));
    struct sockaddr_un nowhere = {AF_UNIX, "/nonexistent/sock"};
    CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
    mm[1].msg_hdr.msg_name = &nowhere, mm[1].msg_hdr.msg_namelen = sizeof nowhere;
    CHECK(sendmmsg(sv[0], mm, 2, 0));
    CHECK(sendmmsg(-1, mm, 1, 0));
    CHECK(pipe(p));
    CHECK(sendmmsg(p[1], mm, 1, 0));
    CHECK(recvmmsg(p[0], mm, 1, 0, NULL));
    return 0;
}
