/*
 * tests/linux/c/socketpair.c - AF_UNIX stream socket pairs: data both ways,
 * between processes, send/recv and sendmsg/recvmsg with several buffers,
 * non-blocking ends, shutdown of one direction, end of file and EPIPE
 * (with SIGPIPE, or without it under MSG_NOSIGNAL), poll, getsockopt,
 * getsockname, fstat, and the errors.  The output must equal the host
 * Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static volatile int pipes;
static void on_pipe(int sig) { (void)sig, pipes++; }

int main(void)
{
    int sv[2], r;
    char buf[64] = {0};
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    CHECK(write(sv[0], "ping", 4));
    CHECK(read(sv[1], buf, sizeof buf));
    CHECK(send(sv[1], "pong", 4, 0));
    memset(buf, 0, sizeof buf);
    CHECK(recv(sv[0], buf, sizeof buf, 0));
    printf("got %s\n", buf);

    struct stat st;
    CHECK(fstat(sv[0], &st) + S_ISSOCK(st.st_mode));
    int type = 0, domain = 0;
    socklen_t len = sizeof type;
    CHECK(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &len) + type * 10);
    len = sizeof domain;
    CHECK(getsockopt(sv[0], SOL_SOCKET, SO_DOMAIN, &domain, &len) + domain * 10);
    struct sockaddr_un sa;
    len = sizeof sa;
    CHECK(getsockname(sv[0], (struct sockaddr *)&sa, &len) + sa.sun_family * 10);

    /* Several buffers each way. */
    struct iovec out[3] = {{"one ", 4}, {"two ", 4}, {"three", 5}};
    struct msghdr m = {.msg_iov = out, .msg_iovlen = 3};
    CHECK(sendmsg(sv[0], &m, 0));
    char a[5] = {0}, b[20] = {0};
    struct iovec in[2] = {{a, 4}, {b, sizeof b - 1}};
    struct msghdr mi = {.msg_iov = in, .msg_iovlen = 2};
    CHECK(recvmsg(sv[1], &mi, 0));
    printf("recvmsg: [%s] [%s], flags %d\n", a, b, mi.msg_flags);

    /* Non-blocking: nothing to read. */
    CHECK(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    fcntl(sv[1], F_SETFL, O_NONBLOCK);
    CHECK(read(sv[1], buf, sizeof buf));
    fcntl(sv[1], F_SETFL, 0);

    /* poll: writable, then readable too. */
    struct pollfd pfd = {sv[1], POLLIN | POLLOUT, 0};
    CHECK(poll(&pfd, 1, 0) * 100 + pfd.revents);
    write(sv[0], "x", 1);
    CHECK(poll(&pfd, 1, 0) * 100 + pfd.revents);
    read(sv[1], buf, 1);

    /* Between processes: the child echoes in upper case until the end. */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        char c;
        while (read(sv[1], &c, 1) == 1) {
            c = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
            write(sv[1], &c, 1);
        }
        _exit(0);
    }
    close(sv[1]);
    write(sv[0], "hello", 5);
    memset(buf, 0, sizeof buf);
    for (int got = 0; got < 5;)
        got += (int)read(sv[0], buf + got, 5 - got);
    printf("echoed %s\n", buf);

    /* shutdown of our writing side: the child sees the end and exits; we
     * can still read what it sends (nothing more: end of file). */
    CHECK(shutdown(sv[0], SHUT_WR));
    int status;
    waitpid(pid, &status, 0);
    printf("child exited %d\n", WEXITSTATUS(status));
    CHECK(read(sv[0], buf, sizeof buf));
    signal(SIGPIPE, on_pipe);
    CHECK(write(sv[0], "y", 1) < 0 && errno == EPIPE);
    printf("SIGPIPEs: %d\n", pipes);
    close(sv[0]);

    /* EPIPE: with SIGPIPE, or without under MSG_NOSIGNAL. */
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
    CHECK(fcntl(sv[0], F_GETFD));
    close(sv[1]);
    CHECK(send(sv[0], "z", 1, MSG_NOSIGNAL));
    printf("SIGPIPEs: %d\n", pipes);
    CHECK(write(sv[0], "z", 1));
    printf("SIGPIPEs: %d\n", pipes);
    CHECK(read(sv[0], buf, sizeof buf));
    close(sv[0]);

    CHECK(socketpair(AF_INET, SOCK_STREAM, 0, sv));
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 99, sv));
    CHECK(syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, (int *)8));
    r = open("/dev/null", O_RDONLY);
    CHECK(shutdown(r, SHUT_RD));
    CHECK(recv(r, buf, 1, 0));
    CHECK(shutdown(-1, SHUT_RD));
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    CHECK(shutdown(sv[0], 7));
    CHECK(getsockopt(sv[0], SOL_SOCKET, 12345, &type, &len));
    return 0;
}
