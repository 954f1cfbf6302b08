/*
 * tests/linux/fuzz/sockfuzz.c - random AF_UNIX socket operations against
 * the Linux personality: socket, bind to a few paths and abstract names
 * (and autobind), listen, connect, accept4, close, reads and writes,
 * MSG_PEEK, shutdown, unlink of the names, poll, getsockname and
 * getpeername, and now and then a fork whose child closes some of the
 * descriptors, over sixteen descriptor slots.  Everything is nonblocking.
 * The server must answer every call and survive.  Persona only, as
 * fuzz.c; tests/run-all.py runs it after fuzz.
 */
#define _GNU_SOURCE
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

static uint64_t seed = 88172645463325252ull;

static uint64_t rnd(void)
{
    seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
    return seed;
}

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

/* Now and then a child that closes some descriptors and ends. */
static void fork_and_close(const int *fds)
{
    pid_t c = fork();
    if (c == 0) {
        for (int q = 0; q < 16; q++)
            if (fds[q] >= 0 && rnd() % 2)
                close(fds[q]);
        _exit(0);
    }
    waitpid(c, NULL, 0);
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
        switch (rnd() % 14) {
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
