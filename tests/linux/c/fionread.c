/*
 * tests/linux/c/fionread.c - FIONREAD (SIOCINQ) as each kind of file
 * answers it: an AF_UNIX stream's bytes, a seqpacket socket's bytes of
 * all its records, a datagram socket's first datagram (AF_UNIX and UDP),
 * a TCP connection's bytes, a listening socket's EINVAL; a regular file's
 * bytes past the position (negative past the end), a pipe's bytes; a
 * directory and an eventfd ENOTTY.  The output must equal the host
 * Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static void inq(const char *what, int fd)
{
    int n = -7;
    int r = ioctl(fd, FIONREAD, &n);
    if (r < 0)
        printf("%-28s %s\n", what, errno_name(errno));
    else
        printf("%-28s %d\n", what, n);
}

int main(void)
{
    char buf[64];
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    inq("unix stream, empty", sv[1]);
    CHECK(write(sv[0], "hello", 5));
    CHECK(write(sv[0], "world!", 6));
    inq("unix stream", sv[1]);
    CHECK(read(sv[1], buf, 3));
    inq("unix stream, 3 read", sv[1]);
    close(sv[0]), close(sv[1]);

    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    CHECK(write(sv[0], "hello", 5));
    CHECK(write(sv[0], "hi", 2));
    inq("unix datagram", sv[1]);
    close(sv[0]), close(sv[1]);
    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
    CHECK(write(sv[0], "hello", 5));
    CHECK(write(sv[0], "hi", 2));
    inq("unix seqpacket", sv[1]);
    close(sv[0]), close(sv[1]);

    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t l = sizeof a;
    bind(u, (struct sockaddr *)&a, sizeof a);
    getsockname(u, (struct sockaddr *)&a, &l);
    inq("udp, empty", u);
    CHECK(sendto(u, "abc", 3, 0, (struct sockaddr *)&a, sizeof a));
    CHECK(sendto(u, "defgh", 5, 0, (struct sockaddr *)&a, sizeof a));
    usleep(20000);
    inq("udp", u);
    close(u);

    int ls = socket(AF_INET, SOCK_STREAM, 0);
    a.sin_port = 0;
    bind(ls, (struct sockaddr *)&a, sizeof a);
    l = sizeof a;
    getsockname(ls, (struct sockaddr *)&a, &l);
    listen(ls, 1);
    inq("tcp listening", ls);
    int cl = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(connect(cl, (struct sockaddr *)&a, sizeof a));
    int sv2 = accept(ls, NULL, NULL);
    CHECK(write(cl, "0123456789", 10));
    usleep(20000);
    inq("tcp", sv2);
    close(cl), close(sv2), close(ls);

    int us = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un_k { unsigned short fam; char path[108]; } un = {AF_UNIX, "\0fionread-test"};
    bind(us, (struct sockaddr *)&un, sizeof(unsigned short) + 14);
    listen(us, 1);
    inq("unix listening", us);
    close(us);

    int f = open("/tmp/fionread-test", O_CREAT | O_RDWR | O_TRUNC, 0644);
    CHECK(write(f, "12345", 5));
    CHECK(lseek(f, 1, SEEK_SET));
    inq("file, at 1", f);
    CHECK(lseek(f, 9, SEEK_SET));
    inq("file, past the end", f);
    close(f);
    unlink("/tmp/fionread-test");
    int d = open("/tmp", O_RDONLY | O_DIRECTORY);
    inq("directory", d);
    close(d);
    int p[2];
    pipe(p);
    CHECK(write(p[1], "abcd", 4));
    inq("pipe, read end", p[0]);
    inq("pipe, write end", p[1]);
    int e = eventfd(0, 0);
    inq("eventfd", e);
    return 0;
}
