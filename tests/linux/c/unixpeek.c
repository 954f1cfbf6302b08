/*
 * tests/linux/c/unixpeek.c - MSG_PEEK of a message that carries
 * descriptors (SCM_RIGHTS), on AF_UNIX sockets of each kind: as Linux,
 * each peek installs new descriptors for the passed files, and the
 * message keeps its own for the read that takes it.  The output must
 * equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "scm.h"
#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

static void peek(int type)
{
    int sv[2], p[2];
    long len;
    char buf[16];
    printf("-- type %d\n", type);
    CHECK(socketpair(AF_UNIX, type, 0, sv));
    CHECK(pipe(p));
    CHECK(pass_fd(sv[0], p[1]));
    CHECK(close(p[1]));
    CHECK(send(sv[0], "after", 5, 0));
    for (int i = 0; i < 3; i++) { /* two peeks, then the read */
        int fd = take_fd(sv[1], i < 2 ? MSG_PEEK : 0, &len);
        printf("%s: length %ld, descriptor %d\n", i < 2 ? "peek" : "read", len, fd);
        CHECK(write(fd, "w", 1));
        CHECK(close(fd));
    }
    CHECK(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    CHECK(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    CHECK(read(p[0], buf, sizeof buf));
    CHECK(read(p[0], buf, sizeof buf)); /* every writer closed: end of file */
    close(p[0]), close(sv[0]), close(sv[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    peek(SOCK_STREAM);
    peek(SOCK_DGRAM);
    peek(SOCK_SEQPACKET);
    return 0;
}
