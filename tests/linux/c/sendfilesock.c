/*
 * tests/linux/c/sendfilesock.c - sendfile into sockets: AF_UNIX stream,
 * TCP and UDP; the file's position or the offset argument, the end of
 * the file, O_NONBLOCK (EAGAIN when full, a partial count), a blocking
 * sendfile that waits for the reader (a signal ends it with its count),
 * a peer gone or shut (EPIPE), an unconnected socket; a socket or a pipe
 * as the source.  Prints only
 * counts that do not depend on buffer sizes.  The output must equal the
 * host Linux's.
 */
#define _GNU_SOURCE
#include "socktest.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <sys/wait.h>

#define BIG (1 << 20)

static void put(const char *path, const char *text, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, text, n);
    close(fd);
}

static void on_alarm(int sig) { (void)sig; }

static void stream(int kind, int src, int big)
{
    int s[2];
    off_t off;
    printf("-- %s\n", kind ? "tcp" : "unix");
    if (sock_pair(kind, s) < 0)
        return;
    lseek(src, 0, SEEK_SET);
    CHECK(sendfile(s[0], src, NULL, 10));
    sock_drain(s[1], "position");
    CHECK(lseek(src, 0, SEEK_CUR));
    off = 5;
    CHECK(sendfile(s[0], src, &off, 6));
    printf("off %ld\n", (long)off);
    CHECK(lseek(src, 0, SEEK_CUR));
    sock_drain(s[1], "offset");
    off = 15;
    CHECK(sendfile(s[0], src, &off, 100));
    off = 100;
    CHECK(sendfile(s[0], src, &off, 100));
    CHECK(sendfile(s[0], src, (off_t *)16, 10));
    off = -1;
    CHECK(sendfile(s[0], src, &off, 10));
    sock_drain(s[1], "end");

    /* O_NONBLOCK: EAGAIN when full; a partial count into an empty one */
    fcntl(s[0], F_SETFL, O_NONBLOCK);
    sock_fill(s[0]);
    off = 0;
    CHECK(sendfile(s[0], src, &off, 10));
    printf("off %ld\n", (long)off);
    sock_count(s[1]);
    usleep(50000);
    sock_count(s[1]);
    lseek(big, 0, SEEK_SET);
    long n = sendfile(s[0], big, NULL, BIG);
    printf("sent: %d, position kept: %d\n", n > 0 && (kind || n < BIG), lseek(big, 0, SEEK_CUR) == n);
    usleep(50000);
    long got = sock_count(s[1]);
    usleep(50000);
    got += sock_count(s[1]);
    printf("received all: %d\n", got == n);
    fcntl(s[0], F_SETFL, 0);

    /* blocking: it waits for the reader and sends it all */
    pid_t pid = fork();
    if (pid == 0) {
        static char b[65536];
        long t = 0;
        for (ssize_t k; t < BIG && (k = read(s[1], b, sizeof b)) > 0;)
            t += k;
        _exit(t == BIG ? 0 : 1);
    }
    off = 0;
    CHECK(sendfile(s[0], big, &off, BIG));
    printf("off %ld\n", (long)off);
    int st;
    waitpid(pid, &st, 0);
    printf("reader got all: %d\n", WIFEXITED(st) && WEXITSTATUS(st) == 0);

    /* a signal ends a blocking one with what it sent */
    if (!kind) {
        struct sigaction sa = {.sa_handler = on_alarm};
        sigaction(SIGALRM, &sa, NULL);
        ualarm(200000, 0);
        lseek(big, 0, SEEK_SET);
        n = sendfile(s[0], big, NULL, BIG);
        printf("interrupted: %d, position kept: %d\n", n > 0 && n < BIG, lseek(big, 0, SEEK_CUR) == n);
        sock_count(s[1]);
        usleep(50000);
        sock_count(s[1]);
    }

    /* a shut or closed way: EPIPE */
    shutdown(s[0], SHUT_WR);
    CHECK(sendfile(s[0], src, NULL, 5));
    close(s[0]);
    if (sock_pair(kind, s) < 0)
        return;
    close(s[1]);
    usleep(20000);
    n = sendfile(s[0], src, NULL, 5);
    if (kind == 1 && n == 5) /* TCP: the first goes out, the reset comes back */
        usleep(20000), n = sendfile(s[0], src, NULL, 5);
    printf("closed peer: %ld %s\n", n, n < 0 ? strerror(errno) : "");
    close(s[0]);

    /* not connected */
    s[0] = socket(kind ? AF_INET : AF_UNIX, SOCK_STREAM, 0);
    CHECK(sendfile(s[0], src, NULL, 5));
    CHECK(sendfile(s[0], src, NULL, 0));
    close(s[0]);
}

static void udp(int src)
{
    int s[2];
    char b[64];
    printf("-- udp\n");
    if (sock_pair(2, s) < 0)
        return;
    off_t off = 2;
    CHECK(sendfile(s[0], src, &off, 10));
    printf("off %ld\n", (long)off);
    CHECK(recv(s[1], b, sizeof b, MSG_DONTWAIT));
    CHECK(recv(s[1], b, sizeof b, MSG_DONTWAIT));
    lseek(src, 0, SEEK_SET);
    CHECK(sendfile(s[0], src, NULL, 7));
    CHECK(lseek(src, 0, SEEK_CUR));
    CHECK(recv(s[1], b, sizeof b, MSG_DONTWAIT));
    close(s[0]);
    close(s[1]);
    s[0] = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(sendfile(s[0], src, NULL, 5));
    CHECK(sendfile(s[0], src, NULL, 0));
    close(s[0]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, SIG_IGN);
    char dir[] = "/dev/shm/sendfilesock-XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) < 0)
        return 1;
    put("src", "0123456789abcdefghij", 20);
    char *data = malloc(BIG);
    for (int i = 0; i < BIG; i++)
        data[i] = (char)i;
    put("big", data, BIG);
    int src = open("src", O_RDONLY), big = open("big", O_RDONLY), dst = open("dst", O_RDWR | O_CREAT, 0644);
    stream(0, src, big);
    stream(1, src, big);
    udp(src);

    /* a socket or a pipe as the source */
    int s[2], p[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, s);
    pipe(p);
    write(s[1], "sock", 4);
    write(p[1], "pipe", 4);
    CHECK(sendfile(dst, s[0], NULL, 4));
    CHECK(sendfile(dst, p[0], NULL, 4));
    off_t off = 0;
    CHECK(sendfile(dst, s[0], &off, 4));
    CHECK(sendfile(s[1], p[0], NULL, 4));
    unlink("src"), unlink("big"), unlink("dst");
    chdir("/");
    rmdir(dir);
    return 0;
}
