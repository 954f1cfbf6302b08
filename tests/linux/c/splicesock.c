/*
 * tests/linux/c/splicesock.c - splice between sockets and pipes: an
 * AF_UNIX stream or TCP socket into a pipe and a pipe into one;
 * SPLICE_F_NONBLOCK and O_NONBLOCK (EAGAIN), SPLICE_F_MORE, a splice
 * that waits for its data, a blocking one into a socket that sends all
 * the pipe holds, end of file, EPIPE, offsets (ESPIPE, EINVAL),
 * socket to socket (EINVAL), unconnected sockets; a pipe into UDP
 * (a datagram) and UDP into a pipe (a datagram, cut to the length).  The output
 * must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "socktest.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

static void drain(int fd, const char *what)
{
    char b[128];
    int fl = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    ssize_t n = read(fd, b, sizeof b);
    fcntl(fd, F_SETFL, fl);
    printf("%s: %zd \"%.*s\"\n", what, n, (int)(n > 0 ? n : 0), b);
}

/* Writes text to fd after a while, in a child. */
static pid_t later(int fd, const char *text)
{
    pid_t pid = fork();
    if (pid == 0) {
        usleep(100000);
        write(fd, text, strlen(text));
        _exit(0);
    }
    return pid;
}

static void stream(int kind)
{
    int s[2], p[2], t[2];
    loff_t off = 0;
    int more = kind ? 0 : SPLICE_F_MORE;
    printf("-- %s\n", kind ? "tcp" : "unix");
    if (sock_pair(kind, s) < 0 || pipe(p) < 0)
        return;
    write(s[1], "hello", 5);
    usleep(20000);
    CHECK(splice(s[0], NULL, p[1], NULL, 3, 0));
    drain(p[0], "socket to pipe");
    CHECK(splice(s[0], NULL, p[1], NULL, 100, SPLICE_F_MORE | SPLICE_F_MOVE));
    drain(p[0], "the rest");
    write(p[1], "world", 5);
    CHECK(splice(p[0], NULL, s[0], NULL, 5, more)); /* TCP's corks it: not here */
    usleep(20000);
    drain(s[1], "pipe to socket");
    write(p[1], "again", 5);
    CHECK(splice(p[0], NULL, s[0], NULL, 3, 0));
    usleep(20000);
    drain(s[1], "part");
    drain(p[0], "left in the pipe");

    /* nothing there: EAGAIN, or a wait */
    if (!kind)
        CHECK(splice(s[0], NULL, p[1], NULL, 10, SPLICE_F_NONBLOCK));
    fcntl(s[0], F_SETFL, O_NONBLOCK);
    CHECK(splice(s[0], NULL, p[1], NULL, 10, 0));
    fcntl(s[0], F_SETFL, 0);
    CHECK(splice(p[0], NULL, s[0], NULL, 10, SPLICE_F_NONBLOCK));
    pid_t pid = later(s[1], "late");
    CHECK(splice(s[0], NULL, p[1], NULL, 10, 0));
    waitpid(pid, NULL, 0);
    drain(p[0], "waited for");
    pid = later(p[1], "later");
    CHECK(splice(p[0], NULL, s[0], NULL, 10, 0));
    waitpid(pid, NULL, 0);
    usleep(20000);
    drain(s[1], "waited for");

    /* a blocking splice into a socket sends all the pipe holds */
    pipe(t);
    if (fcntl(t[1], F_SETPIPE_SZ, 1 << 20) >= 0) {
        static char big[512 << 10];
        write(t[1], big, sizeof big);
        pid = fork();
        if (pid == 0) {
            long got = 0;
            for (ssize_t k; got < (long)sizeof big && (k = read(s[1], big, sizeof big)) > 0;)
                got += k;
            _exit(got == sizeof big ? 0 : 1);
        }
        long n = splice(t[0], NULL, s[0], NULL, 1 << 20, 0);
        int st;
        waitpid(pid, &st, 0);
        printf("all of the pipe: %d, the reader got it: %d\n", n == sizeof big, WIFEXITED(st) && !WEXITSTATUS(st));
    }
    close(t[0]), close(t[1]);

    /* a full pipe, a full socket */
    pipe(t);
    fcntl(t[1], F_SETFL, O_NONBLOCK);
    while (write(t[1], "x", 1) > 0)
        ;
    write(s[1], "abc", 3);
    usleep(20000);
    CHECK(splice(s[0], NULL, t[1], NULL, 3, 0));
    CHECK(splice(s[0], NULL, t[1], NULL, 3, SPLICE_F_NONBLOCK));
    close(t[0]), close(t[1]);
    CHECK(splice(s[0], NULL, p[1], NULL, 3, 0));
    drain(p[0], "after");
    sock_fill(s[0]);
    write(p[1], "full", 4);
    fcntl(s[0], F_SETFL, O_NONBLOCK);
    CHECK(splice(p[0], NULL, s[0], NULL, 4, 0));
    fcntl(s[0], F_SETFL, 0);
    sock_count(s[1]);
    usleep(50000);
    sock_count(s[1]);
    drain(p[0], "still in the pipe");

    /* offsets, socket to socket */
    write(s[1], "off", 3);
    write(p[1], "off", 3);
    CHECK(splice(s[0], &off, p[1], NULL, 3, 0));
    CHECK(splice(p[0], NULL, s[0], &off, 3, 0));
    CHECK(splice(s[0], NULL, p[1], &off, 3, 0));
    CHECK(splice(s[0], NULL, s[1], NULL, 3, 0));
    CHECK(splice(s[0], NULL, p[1], NULL, 3, 0));
    CHECK(splice(p[0], NULL, s[0], NULL, 3, 0));
    usleep(20000);
    drain(s[1], "after the offsets");
    drain(p[0], "pipe");

    /* shut, closed */
    shutdown(s[0], SHUT_RD);
    CHECK(splice(s[0], NULL, p[1], NULL, 3, 0));
    shutdown(s[0], SHUT_WR);
    write(p[1], "shut", 4);
    CHECK(splice(p[0], NULL, s[0], NULL, 4, 0));
    drain(p[0], "pipe");
    close(s[0]), close(s[1]);
    sock_pair(kind, s);
    write(s[1], "bye", 3);
    close(s[1]);
    usleep(20000);
    CHECK(splice(s[0], NULL, p[1], NULL, 10, 0));
    CHECK(splice(s[0], NULL, p[1], NULL, 10, 0));
    drain(p[0], "before the end");
    write(p[1], "gone", 4);
    long n = splice(p[0], NULL, s[0], NULL, 4, 0);
    if (kind == 1 && n == 4) /* TCP: the first goes out, the reset comes back */
        usleep(20000), write(p[1], "gone", 4), n = splice(p[0], NULL, s[0], NULL, 4, 0);
    printf("closed peer: %ld %s\n", n, n < 0 ? strerror(errno) : "");
    close(s[0]);
    drain(p[0], "pipe");

    /* not connected */
    s[0] = socket(kind ? AF_INET : AF_UNIX, SOCK_STREAM, 0);
    write(p[1], "nc", 2);
    CHECK(splice(s[0], NULL, p[1], NULL, 3, 0));
    CHECK(splice(p[0], NULL, s[0], NULL, 2, 0));
    close(s[0]), close(p[0]), close(p[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, SIG_IGN);
    stream(0);
    stream(1);
    int s[2], p[2];
    printf("-- udp\n");
    pipe(p);
    if (sock_pair(2, s) == 0) {
        char b[16];
        loff_t off = 0;
        write(p[1], "dgram", 5);
        CHECK(splice(p[0], NULL, s[0], NULL, 3, SPLICE_F_NONBLOCK));
        CHECK(splice(p[0], NULL, s[0], NULL, 5, SPLICE_F_NONBLOCK));
        CHECK(recv(s[1], b, sizeof b, MSG_DONTWAIT));
        CHECK(recv(s[1], b, sizeof b, MSG_DONTWAIT));
        CHECK(recv(s[1], b, sizeof b, MSG_DONTWAIT));
        CHECK(splice(p[0], NULL, s[0], NULL, 5, SPLICE_F_NONBLOCK));
        CHECK(splice(p[0], NULL, s[0], &off, 5, SPLICE_F_NONBLOCK));
        /* a datagram into a pipe: one, cut to the length */
        send(s[0], "first", 5, 0);
        send(s[0], "second", 6, 0);
        usleep(20000);
        CHECK(splice(s[1], NULL, p[1], NULL, 3, 0));
        CHECK(splice(s[1], NULL, p[1], NULL, 100, 0));
        drain(p[0], "datagrams");
        CHECK(splice(s[1], &off, p[1], NULL, 100, 0));
        fcntl(s[1], F_SETFL, O_NONBLOCK);
        CHECK(splice(s[1], NULL, p[1], NULL, 100, 0));
        fcntl(s[1], F_SETFL, 0);
        pid_t pid = fork();
        if (pid == 0) {
            usleep(100000);
            send(s[0], "late", 4, 0);
            _exit(0);
        }
        CHECK(splice(s[1], NULL, p[1], NULL, 100, SPLICE_F_NONBLOCK)); /* the socket's read waits all the same */
        waitpid(pid, NULL, 0);
        drain(p[0], "waited for");
    }
    return 0;
}
