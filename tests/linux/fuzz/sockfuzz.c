/*
 * tests/linux/fuzz/sockfuzz.c - random AF_UNIX socket operations against
 * the Linux personality: socket, bind to a few paths and abstract names
 * (and autobind), listen, connect, accept4, close, reads and writes,
 * MSG_PEEK, shutdown, unlink of the names, poll, getsockname and
 * getpeername, descriptors passed (SCM_RIGHTS, the sockets themselves
 * among them) and received into the slots, and now and then a fork whose
 * child closes some of the descriptors, over sixteen descriptor slots.  Everything is nonblocking.
 * The server must answer every call and survive.  Persona only, as
 * fuzz.c; tests/run-all.py runs it after fuzz.
 */
#define _GNU_SOURCE
#include "slots.h"
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* Name i: s0..s3 in the working directory, or an abstract one. */
static socklen_t name(struct sockaddr_un *a, int i)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    if (i < 4) {
        sprintf(a->sun_path, "s%d", i);
        return offsetof(struct sockaddr_un, sun_path) + 3;
    }
    sprintf(a->sun_path + 1, "ab%d", i);
    return offsetof(struct sockaddr_un, sun_path) + 5;
}

/* sendmsg of a few bytes with up to three of the slots' descriptors. */
static void send_some(int s, const int *fds)
{
    char ctl[CMSG_SPACE(3 * sizeof(int))] = {0};
    int n = (int)(rnd() % 4), pass[3];
    struct iovec iov = {"fd", 1 + rnd() % 2};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = n ? ctl : NULL,
                       .msg_controllen = n ? CMSG_SPACE(n * sizeof(int)) : 0};
    if (n) {
        for (int j = 0; j < n; j++)
            pass[j] = fds[rnd() % 16];
        struct cmsghdr *h = CMSG_FIRSTHDR(&m);
        h->cmsg_level = SOL_SOCKET, h->cmsg_type = SCM_RIGHTS, h->cmsg_len = CMSG_LEN(n * sizeof(int));
        memcpy(CMSG_DATA(h), pass, n * sizeof(int));
    }
    sendmsg(s, &m, MSG_DONTWAIT);
}

/* recvmsg with room for 0..3 descriptors; those that come take slots. */
static void recv_some(int s, int *fds)
{
    char buf[8], ctl[CMSG_SPACE(3 * sizeof(int))];
    int room = (int)(rnd() % 4);
    struct iovec iov = {buf, sizeof buf};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = room ? ctl : NULL,
                       .msg_controllen = room ? CMSG_SPACE(room * sizeof(int)) : 0};
    if (recvmsg(s, &m, MSG_DONTWAIT | (rnd() % 2 ? MSG_CMSG_CLOEXEC : 0)) < 0)
        return;
    for (struct cmsghdr *h = CMSG_FIRSTHDR(&m); h; h = CMSG_NXTHDR(&m, h))
        for (size_t j = 0; h->cmsg_type == SCM_RIGHTS && j < (h->cmsg_len - CMSG_LEN(0)) / sizeof(int); j++) {
            int slot = rnd() % 16, fd;
            memcpy(&fd, CMSG_DATA(h) + j * sizeof(int), sizeof fd);
            if (fds[slot] >= 0)
                close(fds[slot]);
            fds[slot] = fd;
        }
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20000, fds[16];
    char buf[256];
    if (argc > 2)
        seed = strtoull(argv[2], NULL, 0) | 1;
    signal(SIGPIPE, SIG_IGN);
    for (int i = 0; i < 16; i++)
        fds[i] = -1;
    for (int k = 0; k < n; k++) {
        int i = rnd() % 16, c;
        struct sockaddr_un a, g;
        socklen_t l = name(&a, rnd() % 6), gl = sizeof g;
        struct pollfd p = {fds[i], POLLIN | POLLOUT, 0};
        switch (rnd() % 16) {
        case 0: case 1:
            if (fds[i] < 0)
                fds[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
            break;
        case 2: bind(fds[i], (struct sockaddr *)&a, rnd() % 3 ? l : sizeof(sa_family_t)); break;
        case 3: listen(fds[i], rnd() % 4); break;
        case 4: case 5: connect(fds[i], (struct sockaddr *)&a, l); break;
        case 6:
            if ((c = accept4(fds[i], NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                int m = rnd() % 16;
                if (fds[m] >= 0)
                    close(fds[m]);
                fds[m] = c;
            }
            break;
        case 7:
            if (fds[i] >= 0)
                close(fds[i]), fds[i] = -1;
            break;
        case 8: write(fds[i], buf, rnd() % sizeof buf); break;
        case 9: read(fds[i], buf, rnd() % sizeof buf); break;
        case 10: recv(fds[i], buf, rnd() % sizeof buf, MSG_PEEK | MSG_DONTWAIT); break;
        case 11: shutdown(fds[i], rnd() % 3); break;
        case 12: unlink(a.sun_path); break;
        case 13: send_some(fds[i], fds); break;
        case 14: recv_some(fds[i], fds); break;
        default:
            poll(&p, 1, 0);
            getsockname(fds[i], (struct sockaddr *)&g, &gl);
            gl = sizeof g;
            getpeername(fds[i], (struct sockaddr *)&g, &gl);
            if (rnd() % 50 == 0)
                fork_and_close(fds);
        }
    }
    printf("sockfuzz: %d operations done\n", n);
    printf("sockfuzz: still answering: %d\n", socket(AF_UNIX, SOCK_STREAM, 0) >= 0);
    return 0;
}
